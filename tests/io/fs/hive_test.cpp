// Tests Hive partition paths: parsing key=value directories, escaping as Hive does, nulls as
// __HIVE_DEFAULT_PARTITION__, and round trips between the two.
#include "io/fs/hive.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"

namespace sluice::io {
namespace {

using Partitions = std::vector<HivePartition>;

TEST(HivePartitionTest, ParsesKeyValueDirectoriesInPathOrder) {
  EXPECT_EQ(ParseHivePartitions("data/year=2024/country=NL/part-0.parquet"),
            (Partitions{{"year", "2024"}, {"country", "NL"}}));
}

TEST(HivePartitionTest, IgnoresTheFileNameAndPlainDirectories) {
  EXPECT_EQ(ParseHivePartitions("/srv/data/k=v/file=1.parquet"), (Partitions{{"k", "v"}}));
  EXPECT_TRUE(ParseHivePartitions("a=1.parquet").empty());
  EXPECT_TRUE(ParseHivePartitions("/srv/data/plain/file.parquet").empty());
}

TEST(HivePartitionTest, ReadsEveryComponentOfADirectoryPath) {
  EXPECT_EQ(ParseHivePartitions("out/a=1/b=2/"), (Partitions{{"a", "1"}, {"b", "2"}}));
}

TEST(HivePartitionTest, SplitsAtTheFirstEqualsSignAndSkipsEmptyKeys) {
  EXPECT_EQ(ParseHivePartitions("k=a=b/=x/f.csv"), (Partitions{{"k", "a=b"}}));
  EXPECT_EQ(ParseHivePartitions("k=/f.csv"), (Partitions{{"k", ""}}));
}

TEST(HivePartitionTest, DecodesPercentEscapes) {
  EXPECT_EQ(ParseHivePartitions("d/path=a%2Fb%3Dc%25/f.parquet"), (Partitions{{"path", "a/b=c%"}}));
  EXPECT_EQ(ParseHivePartitions("d/k%3A1=x%3a/f.parquet"), (Partitions{{"k:1", "x:"}}));
}

TEST(HivePartitionTest, KeepsMalformedEscapesAsWritten) {
  EXPECT_EQ(UnescapeHivePathComponent("100%"), "100%");
  EXPECT_EQ(UnescapeHivePathComponent("%4"), "%4");
  EXPECT_EQ(UnescapeHivePathComponent("%zz%41"), "%zzA");
}

TEST(HivePartitionTest, ReadsTheDefaultPartitionAsNull) {
  EXPECT_EQ(ParseHivePartitions("d/k=__HIVE_DEFAULT_PARTITION__/f.parquet"),
            (Partitions{{"k", std::nullopt}}));
}

TEST(HivePartitionTest, BuildsDirectoriesWithHiveEscaping) {
  EXPECT_EQ(HivePartitionDirectory({{"year", "2024"}, {"city", "New York"}}),
            "year=2024/city=New York");
  EXPECT_EQ(HivePartitionDirectory({{"p", "a/b=c%d:e?f*g#h\"i'j\\k{l[m]n^o"}}),
            "p=a%2Fb%3Dc%25d%3Ae%3Ff%2Ag%23h%22i%27j%5Ck%7Bl%5Bm%5Dn%5Eo");
  EXPECT_EQ(HivePartitionDirectory({{"p", std::string("tab\there\x7f", 9)}}), "p=tab%09here%7F");
  EXPECT_EQ(HivePartitionDirectory({{"p", "caf\xc3\xa9"}}), "p=caf\xc3\xa9");  // UTF-8 stays.
}

TEST(HivePartitionTest, WritesNullAndEmptyValuesAsTheDefaultPartition) {
  EXPECT_EQ(HivePartitionDirectory({{"k", std::nullopt}, {"e", ""}}),
            "k=__HIVE_DEFAULT_PARTITION__/e=__HIVE_DEFAULT_PARTITION__");
}

TEST(HivePartitionTest, RejectsAnEmptyKey) {
  EXPECT_THROW(HivePartitionDirectory({{"", "v"}}), Error);
}

TEST(HivePartitionTest, RoundTripsAwkwardValuesThroughAPath) {
  std::string every_byte;
  for (int c = 1; c < 256; ++c) every_byte.push_back(static_cast<char>(c));
  const Partitions partitions = {{"a/b", "x=y/z"}, {"pct", "100%"},       {"null", std::nullopt},
                                 {"dots", ".."},   {"bytes", every_byte}, {"hive", "%2F"}};
  const std::string path = "root/" + HivePartitionDirectory(partitions) + "/part-0.parquet";
  EXPECT_EQ(ParseHivePartitions(path), partitions);
}

}  // namespace
}  // namespace sluice::io
