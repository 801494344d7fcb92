#!/usr/bin/python3
"""pandas' side of the benchmark suite (bench/run): runs one workload Q1..Q5 eagerly with pandas
over the CSV copy of the generated dataset (events.csv, users.csv: Debian packages no Parquet
engine for pandas, neither pyarrow nor fastparquet) and writes the answer to OUT as CSV — for Q5
too, which the other engines write as zstd Parquet. Q6 (a Parquet-to-Parquet convert) and Q7
(CSV to Parquet) cannot be done without a Parquet engine: bench/run does not run them for pandas
(bench/peers/lib/workloads.mjs says why), and this script refuses them. bench/run times this whole process and compares the answer with
the other engines'. The workloads are described in bench/peers/lib/workloads.mjs; each one reads
only the columns it needs (usecols), as a careful pandas user would.

usage: /usr/bin/python3 bench/peers/pandas_query.py WORKLOAD DATA_DIR OUT
       /usr/bin/python3 bench/peers/pandas_query.py --noop   (import pandas and exit: the baseline)
"""
import sys

import pandas as pd


def events(data_dir, columns):
    parse = ["timestamp"] if "timestamp" in columns else False
    return pd.read_csv(f"{data_dir}/events.csv", usecols=columns, parse_dates=parse)


def q1(data_dir):
    df = events(data_dir, ["timestamp", "user_id", "category", "revenue"])
    df = df[df["timestamp"] > pd.Timestamp("2023-01-01")]
    df = df.assign(net_revenue=df["revenue"] * 0.8, user_id=df["user_id"].astype(str))
    return df.groupby("category", as_index=False).agg(net_revenue=("net_revenue", "sum"))


def q2(data_dir):
    df = events(data_dir, ["timestamp", "user_id", "revenue", "quantity"])
    return df.groupby("user_id", as_index=False).agg(
        n=("user_id", "size"),
        revenue_sum=("revenue", "sum"),
        quantity_mean=("quantity", "mean"),
        timestamp_max=("timestamp", "max"),
    )


def q3(data_dir):
    df = events(data_dir, ["user_id", "revenue"])
    users = pd.read_csv(f"{data_dir}/users.csv", usecols=["user_id", "country", "tier"])
    joined = df.merge(users, on="user_id", how="inner")
    return joined.groupby(["country", "tier"], as_index=False).agg(
        revenue_sum=("revenue", "sum"), users=("user_id", "nunique")
    )


def q4(data_dir):
    df = events(data_dir, ["timestamp", "user_id", "category", "region", "revenue", "quantity",
                           "discount", "sku"])
    # nlargest keeps every row tied with the 100th; the full sort then breaks ties by timestamp.
    top = df.nlargest(100, "revenue", keep="all")
    return top.sort_values(["revenue", "timestamp"], ascending=[False, True]).head(100)


def q5(data_dir):
    df = events(data_dir, ["timestamp", "user_id", "category", "region", "revenue", "quantity",
                           "discount", "sku"])
    df = df[df["timestamp"] >= pd.Timestamp("2024-01-01")]
    return df.assign(
        month=df["timestamp"].dt.to_period("M").dt.to_timestamp(),
        region_upper=df["region"].str.upper(),
        net_revenue=df["revenue"] * 0.8,
    )


WORKLOADS = {"Q1": q1, "Q2": q2, "Q3": q3, "Q4": q4, "Q5": q5}
# The workloads that write Parquet, with the reason bench/peers/lib/workloads.mjs gives.
NO_PARQUET = ("Debian packages no Parquet engine for pandas (neither pyarrow nor fastparquet): "
              "it can neither read nor write Parquet")
UNSUPPORTED = {"Q6": NO_PARQUET, "Q7": NO_PARQUET}


def main(argv):
    if argv[1:] == ["--noop"]:
        return 0
    if len(argv) != 4:
        print("usage: pandas_query.py WORKLOAD DATA_DIR OUT | --noop", file=sys.stderr)
        return 2
    workload, data_dir, out = argv[1:]
    if workload in UNSUPPORTED:
        print(f"pandas_query.py: {workload} is not supported for pandas: {UNSUPPORTED[workload]}",
              file=sys.stderr)
        return 2
    if workload not in WORKLOADS:
        print(f"pandas_query.py: workload {workload} is not available for pandas "
              f"(use {', '.join(WORKLOADS)})", file=sys.stderr)
        return 2
    result = WORKLOADS[workload](data_dir)
    result.to_csv(out, index=False)
    print(f"pandas {workload}: {len(result)} rows -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
