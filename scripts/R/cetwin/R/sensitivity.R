# sensitivity.R: the readers of /sensitivity: the tornado (one at a time),
# the break-even table, Morris and Sobol' indices; one metric per table, so
# that every column has one unit.

# The metric `metric` of /sensitivity (the first when NULL): its name,
# index, unit and share flag (/sensitivity/metric_share; FALSE in a file
# written before it, whose tables printed every metric as a quantity).
sensitivity_metric <- function(r, metric) {
  metrics <- h5_strings(r, "sensitivity/metrics")
  units <- h5_strings(r, "sensitivity/metric_units")
  shares <- h5_shares(r, "sensitivity/metric_share", units, legacy = FALSE)
  if (is.null(metric)) {
    metric <- metrics[1]
  }
  k <- match(metric, metrics)
  if (is.na(k)) {
    stop(sprintf("%s: no sensitivity metric '%s' (the file has: %s)", r$path, metric,
                 paste(metrics, collapse = ", ")), call. = FALSE)
  }
  list(name = metric, index = k, unit = units[k], share = shares[k])
}

# Names of the factors in /sensitivity/factors of the indices in `ds`.
factor_names <- function(r, path) {
  names <- h5_strings(r, "sensitivity/factors/name")
  names[as.integer(h5_values(h5_dataset(r, path))) + 1]
}

# Tags a per-metric table with its metric and the metric's share flag.
for_metric <- function(df, m, units) {
  attr(df, "metric") <- m$name
  attr(df, "share") <- m$share
  with_units(df, units)
}

cetwin_tornado <- function(x, metric = NULL) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  m <- sensitivity_metric(r, metric)
  g <- "sensitivity/oat/"
  factors <- factor_names(r, paste0(g, "factors"))
  settings <- h5_values(h5_dataset(r, paste0(g, "tornado/settings")))
  values <- h5_values(h5_dataset(r, paste0(g, "tornado/values")))
  swing <- h5_values(h5_dataset(r, paste0(g, "tornado/swing")))
  rank <- h5_values(h5_dataset(r, paste0(g, "tornado/rank")))
  base <- as.numeric(h5_values(h5_dataset(r, paste0(g, "base"))))[m$index]
  k <- m$index
  df <- data.frame(factor = factors, setting_low = settings[, 1], setting_high = settings[, 2],
                   low = values[, 1, k], high = values[, 2, k], base = base,
                   swing = swing[, k], rank = as.integer(rank[, k]), stringsAsFactors = FALSE)
  row.names(df) <- factors
  u <- m$unit
  for_metric(df, m, c(low = u, high = u, base = u, swing = u, rank = "1"))
}

cetwin_break_even <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  g <- "sensitivity/break_even/"
  table <- h5_frame(h5_dataset(r, paste0(g, "table")))
  factors <- factor_names(r, "sensitivity/oat/factors")
  df <- cbind(data.frame(factor = factors, stringsAsFactors = FALSE), table)
  if (h5_has(r$file, paste0(g, "reference"))) {
    df$reference <- as.numeric(h5_values(h5_dataset(r, paste0(g, "reference"))))
  }
  row.names(df) <- factors
  grp <- r$file[["sensitivity/break_even"]]
  attr(df, "threshold") <- h5_attr(grp, "threshold")
  for_metric(df, sensitivity_metric(r, h5_attr(grp, "metric")),
             c(change = "1", crossings = "1", iterations = "1", range_low = "1",
               range_high = "1", reference = "1"))
}

# The [group, metric] datasets of group g (column name = dataset name) for
# metric m, one row per group.
group_table <- function(r, g, datasets, m) {
  groups <- h5_strings(r, paste0(g, "groups"))
  df <- data.frame(group = groups, stringsAsFactors = FALSE)
  for (col in names(datasets)) {
    df[[col]] <- as.numeric(h5_values(h5_dataset(r, paste0(g, datasets[[col]])))[, m$index])
  }
  row.names(df) <- groups
  df
}

cetwin_morris <- function(x, metric = NULL) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  m <- sensitivity_metric(r, metric)
  cols <- c("mu_star", "mu_star_conf", "mu", "sigma")
  df <- group_table(r, "sensitivity/morris/", stats::setNames(cols, cols), m)
  for_metric(df, m, stats::setNames(rep(m$unit, length(cols)), cols))
}

cetwin_sobol <- function(x, metric = NULL) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  m <- sensitivity_metric(r, metric)
  df <- group_table(r, "sensitivity/sobol/", c(S1 = "first", S1_conf = "first_conf",
                                               ST = "total", ST_conf = "total_conf"), m)
  for (s in c("S1", "ST")) {
    df[[paste0(s, "_low")]] <- df[[s]] - df[[paste0(s, "_conf")]]
    df[[paste0(s, "_high")]] <- df[[s]] + df[[paste0(s, "_conf")]]
  }
  df <- df[c("group", "S1", "S1_conf", "S1_low", "S1_high", "ST", "ST_conf", "ST_low", "ST_high")]
  attr(df, "level") <- h5_attr(r$file[["sensitivity/sobol"]], "level")
  cols <- setdiff(names(df), "group")
  for_metric(df, m, stats::setNames(rep("1", length(cols)), cols))
}
