# The two set-up commands of the README, and their parts. Each target runs scripts/setup first,
# which installs missing Debian packages and npm peers and is quick when all are present.
.PHONY: setup build demo test test-asan bench bench-scaling bench-convert bench-tpch clean

JOBS ?= $(shell nproc)
RELEASE := build/release
ASAN := build/asan

setup:
	@./scripts/setup

build: setup
	@cmake -S . -B $(RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(RELEASE) -j $(JOBS)

demo: build
	@./scripts/demo $(RELEASE)/sluice

test: build
	@cd $(RELEASE) && ctest --output-on-failure -j $(JOBS) --timeout 600

# Unit tests and a bounded libFuzzer run, built with clang under ASan+UBSan.
test-asan: setup
	@cmake -S . -B $(ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
		-DSLUICE_SANITIZE=ON -DSLUICE_FUZZ=ON >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	@cd $(ASAN) && ctest --output-on-failure -j $(JOBS) --timeout 900 -L 'unit|fuzz'

# The benchmark suite (bench/run): sluice, DuckDB, Polars and pandas on workloads Q1..Q7 at ROWS
# events (default 10 million); bench/peers/update_readme then puts the results into README.md.
bench: build
	@./bench/run $(ROWS)

# Q1's peak memory at 1, 10 and 50 million events (SIZES=a,b,c to change them).
bench-scaling: build
	@./bench/run --scaling $(if $(SIZES),--sizes $(SIZES))

# The 22 TPC-H queries in sluice, DuckDB and Polars (bench/run --tpch) over the Parquet tables in
# TPCH_DIR (default: ../shared/tpch/sf0.1), or generated at scale factor SF; QUERIES=1,3,6 and
# RUNS=N to narrow it.
bench-tpch: build
	@./bench/run --tpch $(if $(TPCH_DIR),--tpch-dir $(TPCH_DIR)) $(if $(SF),--scale-factor $(SF)) \
		$(if $(QUERIES),--queries $(QUERIES)) $(if $(RUNS),--runs $(RUNS))

# sluice convert against DuckDB and Polars on one file (the first benchmark; Q6 of the suite).
bench-convert: build
	@./bench/peers/run_convert $(ROWS)

clean:
	rm -rf build
