# The two set-up commands of the README, and their parts. Each target runs scripts/setup first,
# which installs missing Debian packages and npm peers and is quick when all are present.
.PHONY: setup build demo test test-asan bench clean

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

bench: build
	@./bench/peers/run_convert $(ROWS)

clean:
	rm -rf build
