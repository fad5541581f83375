# open.R: opening a result file (cetwin_open), its provenance, and closing it.

cetwin_open <- function(path) {
  path <- normalizePath(path, mustWork = TRUE)
  file <- hdf5r::H5File$new(path, mode = "r")
  format <- if (file$attr_exists("format")) hdf5r::h5attr(file, "format") else ""
  if (!identical(format, "cetwin-result")) {
    file$close_all()
    stop(sprintf("%s: not a cetwin result file (no format = cetwin-result)", path),
         call. = FALSE)
  }
  x <- new.env(parent = emptyenv())
  x$file <- file
  x$path <- path
  names <- hdf5r::h5attr_names(file)
  x$attrs <- stats::setNames(lapply(names, function(n) hdf5r::h5attr(file, n)), names)
  # a damaged or hand-made file may lack them: the messages name them anyway
  x$case <- if (is.null(x$attrs$case)) "" else x$attrs$case
  x$analysis <- if (is.null(x$attrs$analysis)) "" else x$attrs$analysis
  x$format_version <- as.integer(x$attrs$format_version)
  if (length(x$format_version) != 1 || x$format_version < 2) {
    warning(sprintf(paste("%s: format_version %s: the readers need the dimension scales,",
                          "names and units of format_version 2; labels and units may be",
                          "missing"), path, paste(x$format_version, collapse = ",")),
            call. = FALSE)
  }
  x$config_text <- x$attrs$resolved_config
  x$config <- NULL
  if (!is.null(x$config_text) && requireNamespace("yaml", quietly = TRUE)) {
    x$config <- yaml::yaml.load(x$config_text)
  }
  known <- c("enumerate", "simulate", "mc", "optimize", "sensitivity", "prices", "reconcile")
  x$analyses <- intersect(names(file), known)
  if (h5_has(file, "input/files")) {
    x$inputs <- data.frame(file = as.character(file[["input/files"]]$read()),
                           text = as.character(file[["input/texts"]]$read()),
                           stringsAsFactors = FALSE)
  }
  if (h5_has(file, "input/override_path")) {
    x$overrides <- data.frame(path = as.character(file[["input/override_path"]]$read()),
                              value = as.character(file[["input/override_value"]]$read()),
                              stringsAsFactors = FALSE)
  }
  class(x) <- "cetwin_result"
  x
}

cetwin_close <- function(x) {
  stopifnot(inherits(x, "cetwin_result"))
  if (!is.null(x$file) && x$file$is_valid) {
    x$file$close_all()
  }
  invisible(NULL)
}

print.cetwin_result <- function(x, ...) {
  open <- !is.null(x$file) && x$file$is_valid
  cat(sprintf("<cetwin result '%s' (%s) %s: %s%s>\n", x$case, x$analysis, x$path,
              paste(x$analyses, collapse = ", "), if (open) "" else " [closed]"))
  invisible(x)
}

# The result of x: x itself, or a file opened from a path (closed by the
# caller through on.exit(close_if(opened))).
as_result <- function(x) {
  if (inherits(x, "cetwin_result")) {
    if (is.null(x$file) || !x$file$is_valid) {
      stop(sprintf("%s: the result is closed", x$path), call. = FALSE)
    }
    return(x)
  }
  if (is.character(x) && length(x) == 1) {
    return(cetwin_open(x))
  }
  stop("expected a cetwin result (cetwin_open) or the path of a result file", call. = FALSE)
}

# Closes y when it was opened from a path (y is not x).
close_opened <- function(x, y) {
  if (!identical(x, y)) {
    cetwin_close(y)
  }
}

cetwin_unit <- function(df, column, row = NULL) {
  u <- attr(df, "units")
  if (is.null(u)) {
    return(NA_character_)
  }
  if (identical(attr(df, "units_by"), "row")) {
    if (is.null(row)) {
      stop("the units of this table differ by row: give the row", call. = FALSE)
    }
    key <- if (is.numeric(row)) row.names(df)[row] else row
  } else {
    key <- column
  }
  if (!key %in% names(u)) {
    return(NA_character_)
  }
  unname(u[[key]])
}
