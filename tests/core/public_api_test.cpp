// The version and error headers stand alone: they compile without anything from src/.
#include <sluice/error.h>
#include <sluice/version.h>

#include <gtest/gtest.h>

namespace {

TEST(PublicApiTest, ReportsTheVersionFilesRecordInCreatedBy) {
  EXPECT_EQ(sluice::Version(), SLUICE_VERSION);
  EXPECT_FALSE(sluice::Version().empty());
}

TEST(PublicApiTest, ErrorsCarryTheirKind) {
  sluice::Error error(sluice::ErrorKind::kUnsupported, "nested column");
  EXPECT_EQ(error.kind(), sluice::ErrorKind::kUnsupported);
  EXPECT_STREQ(error.what(), "nested column");
}

}  // namespace
