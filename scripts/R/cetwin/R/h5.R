# h5.R: reading helpers shared by the readers: datasets in HDF5's axis
# order (hdf5r shows them reversed), units, axis labels from the dimension
# scales, and the frames' unit attributes (docs/hdf5-schema.md).

# TRUE when the file has an object at path (every component is checked, as
# H5Lexists fails on a missing intermediate group).
h5_has <- function(file, path) {
  parts <- strsplit(path, "/", fixed = TRUE)[[1]]
  parts <- parts[nzchar(parts)]
  at <- ""
  for (p in parts) {
    at <- if (nzchar(at)) paste0(at, "/", p) else p
    if (!file$exists(at)) {
      return(FALSE)
    }
  }
  TRUE
}

# The dataset at path, or a located error naming what is missing.
h5_dataset <- function(x, path) {
  if (!h5_has(x$file, path)) {
    stop(sprintf("%s: no /%s in this file (case '%s', analysis %s)", x$path, path,
                 x$case, x$analysis), call. = FALSE)
  }
  x$file[[path]]
}

# Reverses the axes of an array read by hdf5r back to HDF5's order.
h5_order <- function(value) {
  d <- dim(value)
  if (is.null(d) || length(d) < 2) {
    return(value)
  }
  aperm(value, rev(seq_along(d)))
}

# A dataset's values in HDF5's axis order (a matrix is [row, column] as
# h5py shows it); integers of int64 datasets as doubles when they do not
# fit an R integer.
h5_values <- function(ds) {
  value <- ds$read(drop = FALSE)
  if (length(dim(value)) < 2) {
    value <- as.vector(value)
  }
  if (inherits(value, "integer64")) {
    value <- as.numeric(value)
  }
  h5_order(value)
}

# A string dataset as a character vector (an empty list reads as character(0)).
h5_strings <- function(x, path) {
  as.character(h5_dataset(x, path)$read())
}

# An attribute of an object, or default when absent.
h5_attr <- function(obj, name, default = NULL) {
  if (!obj$attr_exists(name)) {
    return(default)
  }
  h5_order(hdf5r::h5attr(obj, name))
}

# The labels of axis `axis` (1-based, HDF5's order) of a dataset: the values
# of the dimension scale attached to it, else 0 ... n-1.
h5_labels <- function(ds, axis) {
  n <- rev(ds$dims)[axis]
  if (ds$attr_exists("DIMENSION_LIST")) {
    refs <- hdf5r::h5attr(ds, "DIMENSION_LIST")
    if (length(refs) >= axis && length(refs[[axis]]) > 0) {
      scale <- refs[[axis]]$dereference(obj = ds)[[1]]
      on.exit(scale$close())
      value <- scale$read()
      if (is.character(value)) {
        return(value)
      }
      return(as.numeric(value))
    }
  }
  seq_len(n) - 1
}

# The units of a dataset as a character vector, one per entry of its last
# axis (a single unit repeated), or NULL without a units attribute.
h5_units <- function(ds, n = NULL) {
  u <- h5_attr(ds, "units")
  if (is.null(u)) {
    return(NULL)
  }
  u <- as.character(u)
  if (!is.null(n) && length(u) == 1) {
    u <- rep(u, n)
  }
  u
}

# Attaches units (a named character vector) and the dataset's long name.
with_units <- function(df, units, by = "column") {
  units <- units[!is.na(units)]
  attr(df, "units") <- units
  attr(df, "units_by") <- by
  df
}

# A numeric 2-D dataset [row, column] as a data.frame with the labels of
# its two axes as row and column names.
h5_frame <- function(ds) {
  m <- h5_values(ds)
  if (is.null(dim(m))) {
    m <- matrix(m, ncol = 1)
  }
  rows <- h5_labels(ds, 1)
  cols <- h5_labels(ds, 2)
  colnames(m) <- as.character(cols)
  df <- as.data.frame(m, stringsAsFactors = FALSE, optional = TRUE)
  names(df) <- as.character(cols)
  if (is.character(rows)) {
    row.names(df) <- rows
  }
  u <- h5_units(ds, ncol(m))
  if (!is.null(u)) {
    df <- with_units(df, stats::setNames(u, as.character(cols)))
  }
  df
}

# values (read from path) when there are n of them, each one of allowed;
# else an error naming the dataset: "holds 3 WHAT for 5 ITEMS", "holds X;
# expected one of ...".
h5_checked <- function(r, path, values, allowed, what, n, items = "metrics") {
  if (length(values) != n) {
    stop(sprintf("%s: /%s holds %d %s for %d %s", r$path, path, length(values), what, n, items),
         call. = FALSE)
  }
  unknown <- sort(unique(as.character(values[!values %in% allowed])))
  if (length(unknown) > 0) {
    stop(sprintf("%s: /%s holds %s; expected one of %s", r$path, path,
                 paste(unknown, collapse = ", "), paste(allowed, collapse = ", ")),
         call. = FALSE)
  }
  values
}

# The share flags (logical, one per entry of units) of the 0/1 dataset at
# path (/simulate/metrics/share, /mc/summary/share, the metrics/share of
# /mc/deterministic and of a scenario,
# /optimize/objectives/share, /optimize/robust/share,
# /sensitivity/metric_share), checked by
# h5_checked. In a file written before it (docs/hdf5-schema.md): TRUE where
# the metric's unit is "1", as `cetwin info` decides; with legacy = FALSE
# (an old /sensitivity) every flag FALSE.
h5_shares <- function(r, path, units, legacy = TRUE, items = "metrics") {
  if (!h5_has(r$file, path)) {
    return(legacy & units == "1")
  }
  flags <- h5_values(h5_dataset(r, path))
  if (length(dim(flags)) > 1) {
    stop(sprintf("%s: /%s has %d axes; expected one flag per %s", r$path, path,
                 length(dim(flags)), sub("s$", "", items)), call. = FALSE)
  }
  h5_checked(r, path, flags, c(0, 1), "flags", length(units), items) == 1
}
