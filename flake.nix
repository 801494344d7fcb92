# Nix pins the environment of sluice: `nix develop` gives the same compiler, CMake and libraries
# on every machine, and `nix build` builds the sluice package. (The machines sluice is developed
# on cannot fetch nixpkgs, so there this file is only parsed by a test; see the README.)
{
  description = "sluice: a streaming query engine and ETL pipeline runner for Parquet and CSV";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      libraries = pkgs: with pkgs; [
        zstd snappy lz4 zlib brotli xxHash fmt cli11 tomlplusplus nlohmann_json re2 gtest gbenchmark
      ];
    in {
      packages = forAllSystems (pkgs: {
        default = pkgs.stdenv.mkDerivation {
          pname = "sluice";
          version = "0.1.0";
          src = ./.;
          nativeBuildInputs = with pkgs; [ cmake ninja pkg-config ];
          buildInputs = libraries pkgs;
          cmakeFlags = [ "-DCMAKE_BUILD_TYPE=RelWithDebInfo" ];
          # The unit tests run in the build; the end-to-end tests need npm peers and are skipped.
          doCheck = true;
          checkPhase = "ctest -L unit --output-on-failure";
          installPhase = "install -Dm755 sluice $out/bin/sluice";
        };
      });

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = (libraries pkgs) ++ (with pkgs; [ cmake ninja pkg-config gcc12 clang-tools nodejs_20 gnuplot ]);
        };
      });
    };
}
