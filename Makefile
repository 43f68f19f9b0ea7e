# Convenience wrapper; the scripts are the source of truth.
.PHONY: run test build clean
run:
	scripts/run.sh
test:
	scripts/test.sh
build:
	scripts/deps.sh build
	cmake -S . -B build && cmake --build build -j
clean:
	rm -rf build build-asan
