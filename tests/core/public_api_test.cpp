// The public header stands alone: it compiles without anything from src/ and reports the version.
#include <sluice/sluice.h>

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
