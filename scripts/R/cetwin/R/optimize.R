# optimize.R: the readers of /optimize: the problem (design variables,
# objectives), the global front, one row per point in TOPSIS order, and
# the robust statistics of its points.

# A table of 1-D datasets of group g along one axis: text columns (column
# name = dataset name) and numeric ones; rows named by the first column.
listing <- function(r, g, texts, numbers) {
  df <- data.frame(lapply(texts, function(d) h5_strings(r, paste0(g, d))),
                   stringsAsFactors = FALSE)
  for (col in numbers) {
    df[[col]] <- as.numeric(h5_values(h5_dataset(r, paste0(g, col))))
  }
  row.names(df) <- df[[1]]
  df
}

cetwin_objectives <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  g <- "optimize/objectives/"
  df <- listing(r, g, c(name = "name", metric = "metric", unit = "units", sense = "sense"),
                c("topsis_weight", "reference_point", "utopia", "nadir"))
  if (h5_has(r$file, paste0(g, "statistic"))) {
    df$statistic <- h5_strings(r, paste0(g, "statistic"))
  }
  df$share <- h5_shares(r, paste0(g, "share"), df$unit, items = "objectives")
  with_units(df, stats::setNames(df$unit, df$name), by = "row")
}

cetwin_variables <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  g <- "optimize/design/"
  df <- listing(r, g, c(name = "name", path = "path", unit = "units"),
                c("lower", "upper", "zero_below"))
  df$integer <- as.logical(h5_values(h5_dataset(r, paste0(g, "integer"))))
  df$group <- as.integer(h5_values(h5_dataset(r, paste0(g, "group"))))
  df$choices <- if (h5_has(r$file, paste0(g, "choices"))) {
    h5_strings(r, paste0(g, "choices"))
  } else {
    rep("", nrow(df))
  }
  with_units(df, stats::setNames(df$unit, df$name), by = "row")
}

# The values and labels of a structural variable's design/choices text
# ("0 process; 1 sort; 2 discard"): list(values, labels).
choice_table <- function(text) {
  items <- strsplit(text, "; ", fixed = TRUE)[[1]]
  list(values = as.integer(sub(" .*$", "", items)), labels = sub("^[^ ]* ", "", items))
}

cetwin_front_choices <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  g <- "optimize/"
  design <- h5_strings(r, paste0(g, "design/name"))
  texts <- if (h5_has(r$file, paste0(g, "design/choices"))) {
    h5_strings(r, paste0(g, "design/choices"))
  } else {
    rep("", length(design))
  }
  values <- h5_values(h5_dataset(r, paste0(g, "front/design")))
  values <- matrix(values, ncol = length(design))
  rank <- as.integer(h5_values(h5_dataset(r, paste0(g, "front/topsis_rank"))))
  idle <- if (h5_has(r$file, paste0(g, "front/no_effect"))) {
    matrix(as.logical(h5_values(h5_dataset(r, paste0(g, "front/no_effect")))),
           ncol = length(design))
  } else {
    matrix(FALSE, nrow(values), length(design))
  }
  grid <- expand.grid(i = seq_len(nrow(values)), j = seq_along(design))
  grid <- grid[order(grid$i, grid$j), ]
  df <- data.frame(point = grid$i - 1L, topsis_rank = rank[grid$i], variable = design[grid$j],
                   value = values[cbind(grid$i, grid$j)], stringsAsFactors = FALSE)
  # each structural variable's text read once, then looked up for every point
  df$choice <- NA_character_
  for (j in which(nzchar(texts))) {
    table <- choice_table(texts[j])
    rows <- grid$j == j
    df$choice[rows] <- table$labels[match(as.integer(round(df$value[rows])), table$values)]
  }
  df$no_effect <- idle[cbind(grid$i, grid$j)]
  row.names(df) <- NULL
  df
}

# Adds the columns of a labelled table to df, renaming a label that is
# already a column to ROLE.LABEL; returns list(df, names used).
add_columns <- function(df, table, role) {
  used <- character(0)
  for (label in names(table)) {
    name <- if (label %in% names(df)) paste0(role, ".", label) else label
    df[[name]] <- table[[label]]
    used <- c(used, name)
  }
  list(df = df, names = used)
}

cetwin_front <- function(x, metrics = FALSE) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  g <- "optimize/front/"
  rank <- as.integer(h5_values(h5_dataset(r, paste0(g, "topsis_rank"))))
  df <- data.frame(point = as.integer(h5_labels(h5_dataset(r, paste0(g, "topsis_rank")), 1)),
                   topsis_rank = rank)
  df$topsis_closeness <- as.numeric(h5_values(h5_dataset(r, paste0(g, "topsis_closeness"))))
  df$violation <- as.numeric(h5_values(h5_dataset(r, paste0(g, "violation"))))
  df$island <- as.integer(h5_values(h5_dataset(r, paste0(g, "island"))))
  units <- c(point = "1", topsis_rank = "1", topsis_closeness = "1", violation = "1",
             island = "1")
  roles <- list()
  parts <- c(design = "design", objective = "objectives", constraint = "constraints")
  if (metrics) {
    parts <- c(parts, metric = "metrics")
  }
  for (role in names(parts)) {
    ds <- h5_dataset(r, paste0(g, parts[[role]]))
    if (rev(ds$dims)[2] == 0) {
      roles[[parts[[role]]]] <- character(0)
      next
    }
    table <- h5_frame(ds)
    added <- add_columns(df, table, role)
    df <- added$df
    roles[[parts[[role]]]] <- added$names
    units <- c(units, stats::setNames(attr(table, "units")[names(table)], added$names))
  }
  for (role in names(roles)) {
    attr(df, role) <- roles[[role]]
  }
  with_units(df, units)
}

cetwin_front_statistics <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  ds <- h5_dataset(r, "optimize/front/statistics")
  v <- h5_values(ds)
  points <- h5_labels(ds, 1)
  metrics <- h5_labels(ds, 2)
  stats <- h5_labels(ds, 3)
  u <- h5_attr(ds, "units")
  if (length(u) == 1) {
    u <- matrix(u, length(metrics), length(stats))
  }
  grid <- expand.grid(k = seq_along(stats), j = seq_along(metrics), i = seq_along(points))
  df <- data.frame(point = as.integer(points[grid$i]), metric = metrics[grid$j],
                   statistic = stats[grid$k], value = v[cbind(grid$i, grid$j, grid$k)],
                   unit = u[cbind(grid$j, grid$k)], stringsAsFactors = FALSE)
  # the share flags of /optimize/robust/share, one per summarised metric
  g <- "optimize/robust/"
  robust <- h5_strings(r, paste0(g, "metrics"))
  shares <- h5_shares(r, paste0(g, "share"), h5_strings(r, paste0(g, "units")))
  df$share <- shares[match(df$metric, robust)]
  with_units(df, c(point = "1"))
}
