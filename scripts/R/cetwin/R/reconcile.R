# reconcile.R: the reader of /reconcile: the measurements with their
# reconciled values, the reconciled streams, the global test and the
# culprit (docs/hdf5-schema.md).

cetwin_reconcile <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  m <- "reconcile/measurements/"
  num <- function(path) as.numeric(h5_values(h5_dataset(r, path)))
  units <- h5_strings(r, paste0(m, "units"))
  n <- length(units)
  measurements <- data.frame(
    measurement = seq_len(n), stream = h5_strings(r, paste0(m, "stream")),
    quantity = h5_strings(r, paste0(m, "quantity")), units = units,
    measured = num(paste0(m, "measured")), sd = num(paste0(m, "sd")),
    reconciled = num(paste0(m, "reconciled")), reconciled_sd = num(paste0(m, "reconciled_sd")),
    adjustment = num(paste0(m, "adjustment")),
    normalised_adjustment = num(paste0(m, "normalised_adjustment")),
    redundant = num(paste0(m, "redundant")) == 1, used = num(paste0(m, "used")) == 1,
    stringsAsFactors = FALSE)
  measurements$observable <- !is.na(measurements$reconciled)
  row.names(measurements) <- as.character(seq_len(n))
  measurements <- with_units(measurements, stats::setNames(units, row.names(measurements)),
                             by = "row")
  s <- "reconcile/streams/"
  names <- h5_strings(r, paste0(s, "name"))
  total <- h5_dataset(r, paste0(s, "total"))
  observable <- h5_values(h5_dataset(r, paste0(s, "flow_observable")))
  streams <- data.frame(stream = names, total = num(paste0(s, "total")),
                        total_sd = num(paste0(s, "total_sd")),
                        total_observable = num(paste0(s, "total_observable")) == 1,
                        components_determined = rowSums(matrix(observable,
                                                               nrow = length(names))),
                        stringsAsFactors = FALSE)
  row.names(streams) <- names
  unit <- h5_units(total)
  streams <- with_units(streams, c(total = unit, total_sd = unit))
  group <- r$file[["reconcile"]]
  a <- function(name) h5_attr(group, name)
  test <- list(chi_square = a("chi_square"), dof = as.numeric(a("dof")),
               critical = a("chi_square_critical"), p_value = a("p_value"),
               alpha = a("alpha"), outcome = a("global_test"),
               normalised_adjustment_critical = a("normalised_adjustment_critical"))
  culprit <- as.numeric(a("culprit"))
  dropped <- integer(0)
  if (h5_has(r$file, "reconcile/dropped/measurement")) {
    dropped <- num("reconcile/dropped/measurement") + 1
  }
  list(measurements = measurements, streams = streams,
       flows = h5_frame(h5_dataset(r, paste0(s, "flow"))),
       flows_sd = h5_frame(h5_dataset(r, paste0(s, "flow_sd"))),
       test = test, culprit = if (culprit < 0) NA_integer_ else as.integer(culprit + 1),
       dropped = as.integer(dropped), method = a("method"), source = a("source"))
}
