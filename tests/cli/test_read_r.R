# test_read_r.R — R's hdf5r reads every dataset and attribute of cetwin
# result files (docs/hdf5-schema.md), and the values are those cetwin wrote.
# usage: Rscript test_read_r.R CETWIN SOURCE_DIR
suppressPackageStartupMessages(library(hdf5r))
args <- commandArgs(trailingOnly = TRUE)
cetwin <- args[1]
source_dir <- args[2]
dir <- tempfile("cetwin-r-")
dir.create(dir)
failures <- 0
check <- function(ok, what) {
  if (!isTRUE(ok)) {
    cat("FAIL:", what, "\n")
    failures <<- failures + 1
  }
}

# Runs a case and returns the result file's path.
run_case <- function(case, name) {
  out <- file.path(dir, paste0(name, ".h5"))
  status <- system2(cetwin, c("run", file.path(source_dir, "configs", case), "-o", out, "-q"),
                    stdout = FALSE, stderr = FALSE)
  check(status == 0, paste("cetwin run", case))
  out
}

# Reads every dataset and every attribute; returns how many were read.
read_everything <- function(path) {
  f <- H5File$new(path, "r")
  on.exit(f$close_all())
  count <- length(h5attributes(f))
  objects <- f$ls(recursive = TRUE)
  for (i in seq_len(nrow(objects))) {
    name <- objects$name[i]
    obj <- f[[name]]
    count <- count + length(h5attributes(obj))
    if (objects$obj_type[i] == "H5I_DATASET") {
      value <- obj$read()
      check(length(value) == prod(obj$dims), paste(path, name, "length"))
      count <- count + 1
    }
    obj$close()
  }
  count
}

pwb <- run_case("bonnin-pwb.yaml", "pwb")
check(read_everything(pwb) > 50, "pwb: datasets and attributes read")
f <- H5File$new(pwb, "r")
check(h5attr(f, "format") == "cetwin-result", "format attribute")
chains <- f[["enumerate/final/chain"]][]
check(length(chains) == 7 && chains[1] == "LSXEW", "seven chains, LSXEW first")
purity <- f[["enumerate/final/purity"]][]
check(abs(purity[1] - 1) < 1e-12 && all(purity >= 0.999), "purities")
product <- f[["enumerate/final/product"]][, ]
# HDF5 is row-major and R column-major: hdf5r shows [component, flowsheet]
check(all(dim(product) == c(6, 7)), "product dimensions reversed in R")
check(abs(product[1, 1] - 0.9493) < 1e-12, "LSXEW copper 0.9493 t/day")
check(identical(h5attr(f[["enumerate/final/product"]], "units"), "t/day"), "units attribute")
f$close_all()

socrates <- run_case("socrates-eu-slag.yaml", "socrates")
check(read_everything(socrates) > 20, "socrates: datasets and attributes read")

if (failures > 0) {
  quit(status = 1)
}
cat("all checks passed\n")
