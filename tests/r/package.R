# package.R: the ctest tests of the R package scripts/R/cetwin.
# usage: Rscript package.R test|check CETWIN SOURCE_DIR RESULTS_DIR
#   test   installs the package into a temporary library (R CMD INSTALL -l)
#          and runs its tests (tests/test_cetwin.R) on the result files of
#          every shipped case (RESULTS_DIR, made by the test python.results)
#          and on a Monte Carlo result with stored draws that it makes.
#   check  R CMD build and R CMD check --no-manual, without the network;
#          fails on any ERROR or WARNING.
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 4)
mode <- args[1]
cetwin <- args[2]
source_dir <- normalizePath(args[3])
results <- args[4]
pkg <- file.path(source_dir, "scripts", "R", "cetwin")
r_bin <- file.path(R.home("bin"), "R")
tmp <- tempfile("cetwin-r-")
dir.create(tmp)
on.exit(unlink(tmp, recursive = TRUE))

run <- function(command, arguments, what, env = character(0)) {
  status <- system2(command, arguments, env = env)
  if (status != 0) {
    cat(sprintf("FAIL: %s (exit %d)\n", what, status))
    quit(status = 1)
  }
}

if (mode == "test") {
  lib <- file.path(tmp, "lib")
  dir.create(lib)
  run(r_bin, c("CMD", "INSTALL", "-l", shQuote(lib), shQuote(pkg)),
      "R CMD INSTALL")
  draws <- file.path(tmp, "bollrich-draws.h5")
  run(cetwin, c("run", shQuote(file.path(source_dir, "configs", "bollrich.yaml")),
                "--set", "mc.draws=20000", "--set", "mc.store_draws=true", "-o", shQuote(draws),
                "-q"), "cetwin run bollrich with stored draws")
  if (length(list.files(results, pattern = "[.]h5$")) == 0) {
    cat("FAIL: no result files in", results, "(run the test python.results first)\n")
    quit(status = 1)
  }
  run(file.path(R.home("bin"), "Rscript"), shQuote(file.path(pkg, "tests", "test_cetwin.R")),
      "the package's tests",
      env = c(paste0("R_LIBS=", shQuote(lib)), paste0("CETWIN_RESULTS=", shQuote(results)),
              paste0("CETWIN_DRAWS=", shQuote(draws))))
} else if (mode == "check") {
  Sys.unsetenv(c("CETWIN_RESULTS", "CETWIN_DRAWS"))
  Sys.setenv("_R_CHECK_CRAN_INCOMING_" = "false", "_R_CHECK_FORCE_SUGGESTS_" = "false")
  setwd(tmp)
  run(r_bin, c("CMD", "build", "--no-build-vignettes", shQuote(pkg)), "R CMD build")
  tarball <- list.files(tmp, pattern = "^cetwin_.*[.]tar[.]gz$")
  status <- system2(r_bin, c("CMD", "check", "--no-manual", tarball))
  log <- readLines(file.path(tmp, "cetwin.Rcheck", "00check.log"))
  bad <- grep("(ERROR|WARNING)$", log, value = TRUE)
  if (status != 0 || length(bad) > 0) {
    cat("FAIL: R CMD check:", bad, sep = "\n")
    quit(status = 1)
  }
  cat(grep("^Status", log, value = TRUE), "\n")
} else {
  stop("mode must be test or check")
}
cat("all checks passed\n")
