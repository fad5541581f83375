# sensitivity.R: the readers of /sensitivity: the tornado (one at a time),
# the break-even table, Morris and Sobol' indices; one metric per table, so
# that every column has one unit.

# The metrics of /sensitivity, their units, and the index of `metric` (the
# first when NULL).
sensitivity_metric <- function(r, metric) {
  metrics <- h5_strings(r, "sensitivity/metrics")
  units <- h5_strings(r, "sensitivity/metric_units")
  if (is.null(metric)) {
    metric <- metrics[1]
  }
  k <- match(metric, metrics)
  if (is.na(k)) {
    stop(sprintf("%s: no sensitivity metric '%s' (the file has: %s)", r$path, metric,
                 paste(metrics, collapse = ", ")), call. = FALSE)
  }
  list(name = metric, index = k, unit = units[k])
}

# Names of the factors in /sensitivity/factors of the indices in `ds`.
factor_names <- function(r, path) {
  names <- h5_strings(r, "sensitivity/factors/name")
  names[as.integer(h5_values(h5_dataset(r, path))) + 1]
}

# Tags a per-metric table with its metric.
for_metric <- function(df, m, units) {
  attr(df, "metric") <- m$name
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
  attr(df, "metric") <- h5_attr(grp, "metric")
  attr(df, "threshold") <- h5_attr(grp, "threshold")
  with_units(df, c(change = "1", crossings = "1", iterations = "1", range_low = "1",
                   range_high = "1", reference = "1"))
}

# A [group, metric] table's column for metric k, labelled by the groups.
group_column <- function(r, path, k) {
  as.numeric(h5_values(h5_dataset(r, path))[, k])
}

cetwin_morris <- function(x, metric = NULL) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  m <- sensitivity_metric(r, metric)
  g <- "sensitivity/morris/"
  groups <- h5_strings(r, paste0(g, "groups"))
  df <- data.frame(group = groups, stringsAsFactors = FALSE)
  for (s in c("mu_star", "mu_star_conf", "mu", "sigma")) {
    df[[s]] <- group_column(r, paste0(g, s), m$index)
  }
  row.names(df) <- groups
  u <- m$unit
  for_metric(df, m, c(mu_star = u, mu_star_conf = u, mu = u, sigma = u))
}

cetwin_sobol <- function(x, metric = NULL) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  m <- sensitivity_metric(r, metric)
  g <- "sensitivity/sobol/"
  groups <- h5_strings(r, paste0(g, "groups"))
  df <- data.frame(group = groups, stringsAsFactors = FALSE)
  df$S1 <- group_column(r, paste0(g, "first"), m$index)
  df$S1_conf <- group_column(r, paste0(g, "first_conf"), m$index)
  df$S1_low <- df$S1 - df$S1_conf
  df$S1_high <- df$S1 + df$S1_conf
  df$ST <- group_column(r, paste0(g, "total"), m$index)
  df$ST_conf <- group_column(r, paste0(g, "total_conf"), m$index)
  df$ST_low <- df$ST - df$ST_conf
  df$ST_high <- df$ST + df$ST_conf
  row.names(df) <- groups
  attr(df, "level") <- h5_attr(r$file[["sensitivity/sobol"]], "level")
  cols <- setdiff(names(df), "group")
  for_metric(df, m, stats::setNames(rep("1", length(cols)), cols))
}
