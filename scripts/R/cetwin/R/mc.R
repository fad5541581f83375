# mc.R: the readers of /mc (summary, stored draws, scenarios) and of the
# metrics and cash-flow tables that /mc and /simulate share.

cetwin_mc_summary <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  g <- "mc/summary/"
  metrics <- h5_strings(r, paste0(g, "metrics"))
  df <- data.frame(metric = metrics, unit = h5_strings(r, paste0(g, "units")),
                   stringsAsFactors = FALSE)
  df$share <- h5_shares(r, paste0(g, "share"), df$unit)
  stats <- c("n", "n_undefined", "n_negative", "mean", "sd", "se", "min", "max", "p5",
             "p10", "p50", "p90", "p95", "prob_negative", "cvar5", "q_pessimistic", "sum",
             "sum_sq")
  for (s in stats) {
    df[[s]] <- as.numeric(h5_values(h5_dataset(r, paste0(g, s))))
  }
  row.names(df) <- metrics
  with_units(df, stats::setNames(df$unit, metrics), by = "row")
}

cetwin_mc_draws <- function(x, columns = NULL, rows = NULL, what = c("metrics", "inputs")) {
  what <- match.arg(what)
  r <- as_result(x)
  on.exit(close_opened(x, r))
  ds <- h5_dataset(r, paste0("mc/draws/", what))
  d <- rev(ds$dims)
  labels <- as.character(h5_labels(ds, 2))
  if (is.null(columns)) {
    cols <- seq_along(labels)
  } else {
    cols <- if (is.numeric(columns)) as.integer(columns) else match(columns, labels)
    if (anyNA(cols) || any(cols < 1 | cols > length(labels))) {
      bad <- columns[is.na(cols) | cols < 1 | cols > length(labels)]
      stop(sprintf("%s: no column %s in /mc/draws/%s (it has: %s)", r$path,
                   paste(bad, collapse = ", "), what, paste(labels, collapse = ", ")),
           call. = FALSE)
    }
  }
  if (is.null(rows)) {
    rows <- seq_len(d[1])
  }
  rows <- as.integer(rows)
  if (length(rows) > 0 && (min(rows) < 1 || max(rows) > d[1])) {
    stop(sprintf("%s: rows %d..%d asked for, /mc/draws has %d", r$path, min(rows),
                 max(rows), d[1]), call. = FALSE)
  }
  # one hyperslab over the span of the rows asked for
  out <- data.frame(draw = numeric(length(rows)))
  if (length(rows) > 0) {
    span <- seq(min(rows), max(rows))
    pick <- rows - min(rows) + 1
    index <- h5_dataset(r, "mc/draws/index")
    out$draw <- as.numeric(index[span])[pick]
    # one read of the columns' span (a chunk holds every column of its rows);
    # none to read when the case has no inputs (prices drawn alone)
    if (length(cols) > 0) {
      first <- min(cols)
      block <- ds[first:max(cols), span, drop = FALSE]
      for (j in cols) {
        out[[labels[j]]] <- as.numeric(block[j - first + 1, ])[pick]
      }
    }
  } else {
    for (j in cols) out[[labels[j]]] <- numeric(0)
  }
  u <- h5_units(ds, length(labels))
  units <- c(draw = "1")
  if (!is.null(u)) {
    units <- c(units, stats::setNames(u[cols], labels[cols]))
  } else if (what == "metrics") {
    s <- cetwin_mc_summary(r)
    units <- c(units, stats::setNames(s$unit[match(labels[cols], s$metric)], labels[cols]))
  }
  with_units(out, units)
}

cetwin_mc_draw_count <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  if (!h5_has(r$file, "mc/draws/index")) {
    return(0L)
  }
  as.integer(r$file[["mc/draws/index"]]$dims)
}

cetwin_scenarios <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  if (!h5_has(r$file, "mc/scenarios/names")) {
    return(character(0))
  }
  h5_strings(r, "mc/scenarios/names")
}

# The group holding an evaluation: a scenario's, /mc/deterministic, or
# /simulate.
evaluation_group <- function(r, scenario) {
  if (!is.null(scenario)) {
    known <- cetwin_scenarios(r)
    if (!scenario %in% known) {
      stop(sprintf("%s: no scenario '%s' (the file has: %s)", r$path, scenario,
                   if (length(known)) paste(known, collapse = ", ") else "none"),
           call. = FALSE)
    }
    return(paste0("mc/scenarios/", scenario))
  }
  if (h5_has(r$file, "mc/deterministic")) {
    return("mc/deterministic")
  }
  if (h5_has(r$file, "simulate/metrics")) {
    return("simulate")
  }
  stop(sprintf("%s: no /mc/deterministic or /simulate in this file", r$path), call. = FALSE)
}

# The families of /simulate/metrics/family (docs/hdf5-schema.md).
metric_families <- c("headline", "detail", "unit", "cash_flow")
# The family of a metric in a /simulate without metrics/family (a file
# written before it): that of the first pattern its name matches ("*": any
# run of characters, dots included), "headline" when none does. The
# naming rule of the runs that wrote such files, as `cetwin info` has it.
legacy_families <- c("mass.*" = "detail", "production.*" = "detail",
                     "recovery.*.*" = "detail", "exergy.*.*" = "unit",
                     "export.*.*" = "detail", "cash.*" = "cash_flow", "dcf.*" = "cash_flow")

legacy_family <- function(names) {
  family <- rep(NA_character_, length(names))
  for (pattern in names(legacy_families)) {
    hit <- is.na(family) & grepl(utils::glob2rx(pattern), names)
    family[hit] <- legacy_families[[pattern]]
  }
  family[is.na(family)] <- "headline"
  family
}

# The family of each metric of group g (ending in "/metrics/"): as the
# file records it, checked (one per metric, each a known family); by
# legacy_family in a /simulate without it; NULL elsewhere.
read_families <- function(r, g, names) {
  path <- paste0(g, "family")
  if (!h5_has(r$file, path)) {
    return(if (g == "simulate/metrics/") legacy_family(names) else NULL)
  }
  h5_checked(r, path, h5_strings(r, path), metric_families, "families", length(names))
}

# The share flag of each metric of group g (ending in "/metrics/"; units:
# the metrics' units): the group's own flags (/simulate/metrics/share,
# /mc/deterministic/metrics/share, /mc/scenarios/NAME/metrics/share). An
# /mc evaluation of a file written before the evaluations recorded theirs
# takes the flag of /mc/summary/share for a metric the summary records and
# the rule of h5_shares (units "1") for the others.
metric_shares <- function(r, g, names, units) {
  own <- paste0(g, "share")
  if (g == "simulate/metrics/" || h5_has(r$file, own) || !h5_has(r$file, "mc/summary")) {
    return(h5_shares(r, own, units))
  }
  s <- "mc/summary/"
  summarised <- h5_strings(r, paste0(s, "metrics"))
  flags <- h5_shares(r, paste0(s, "share"), h5_strings(r, paste0(s, "units")))
  known <- flags[match(names, summarised)]
  ifelse(is.na(known), units == "1", known)
}

cetwin_metrics <- function(x, scenario = NULL) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  g <- paste0(evaluation_group(r, scenario), "/metrics/")
  names <- h5_strings(r, paste0(g, "name"))
  df <- data.frame(metric = names, value = as.numeric(h5_values(h5_dataset(r, paste0(g, "value")))),
                   unit = h5_strings(r, paste0(g, "units")), stringsAsFactors = FALSE)
  if (h5_has(r$file, paste0(g, "description"))) {
    df$description <- h5_strings(r, paste0(g, "description"))
  }
  df$family <- read_families(r, g, names)
  df$share <- metric_shares(r, g, names, df$unit)
  row.names(df) <- names
  with_units(df, stats::setNames(df$unit, names), by = "row")
}

cetwin_cash_flow <- function(x, scenario = NULL, by = c("row", "group", "year")) {
  by <- match.arg(by)
  r <- as_result(x)
  on.exit(close_opened(x, r))
  g <- paste0(evaluation_group(r, scenario), "/cash_flow/")
  if (!h5_has(r$file, paste0(g, "year"))) {
    stop(sprintf("%s: no cash flow in /%s (the twin has no economics)", r$path,
                 sub("/$", "", g)), call. = FALSE)
  }
  years <- as.numeric(h5_values(h5_dataset(r, paste0(g, "year"))))
  net <- h5_dataset(r, paste0(g, "net_yearly"))
  currency <- h5_units(net)
  if (by == "year") {
    df <- data.frame(year = years, net = as.numeric(h5_values(net)))
    df$discount_factor <- as.numeric(h5_values(h5_dataset(r, paste0(g, "discount_factor"))))
    df$cumulative_discounted <-
      as.numeric(h5_values(h5_dataset(r, paste0(g, "cumulative_discounted"))))
    return(with_units(df, c(year = "a", net = currency, discount_factor = "1",
                            cumulative_discounted = currency)))
  }
  names <- h5_strings(r, paste0(g, if (by == "row") "rows" else "groups"))
  yearly <- h5_values(h5_dataset(r, paste0(g, by, "_yearly")))
  yearly <- matrix(yearly, nrow = length(names), ncol = length(years))
  df <- data.frame(name = names, stringsAsFactors = FALSE)
  if (by == "row") {
    df$group <- h5_strings(r, paste0(g, "row_group"))
  }
  df$discounted <- as.numeric(h5_values(h5_dataset(r, paste0(g, by, "_discounted"))))
  year_cols <- as.character(years)
  for (k in seq_along(years)) {
    df[[year_cols[k]]] <- yearly[, k]
  }
  row.names(df) <- make.unique(names)
  attr(df, "years") <- years
  with_units(df, c(discounted = currency, stats::setNames(rep(currency, length(years)),
                                                          year_cols)))
}
