# simulate.R: the readers of /simulate: the stream table, the unit
# balances and the consumption of every unit.

cetwin_streams <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  g <- "simulate/streams/"
  flow <- h5_frame(h5_dataset(r, paste0(g, "flow")))
  names <- h5_strings(r, paste0(g, "name"))
  total <- h5_dataset(r, paste0(g, "total"))
  df <- data.frame(stream = names, from = h5_strings(r, paste0(g, "from")),
                   outlet = h5_strings(r, paste0(g, "outlet")),
                   to = h5_strings(r, paste0(g, "to")),
                   total = as.numeric(h5_values(total)), stringsAsFactors = FALSE)
  added <- add_columns(df, flow, "component")
  df <- added$df
  row.names(df) <- names
  attr(df, "components") <- added$names
  unit <- h5_units(total)
  with_units(df, c(total = unit, stats::setNames(attr(flow, "units")[names(flow)],
                                                 added$names)))
}

cetwin_balances <- function(x, quantity = c("inflow", "outflow", "closure")) {
  quantity <- match.arg(quantity)
  r <- as_result(x)
  on.exit(close_opened(x, r))
  table <- h5_frame(h5_dataset(r, paste0("simulate/balance/", quantity)))
  units <- attr(table, "units")
  df <- data.frame(unit = row.names(table), type = h5_strings(r, "simulate/units/type"),
                   sink_kind = h5_strings(r, "simulate/units/sink_kind"),
                   stringsAsFactors = FALSE)
  added <- add_columns(df, table, "component")
  df <- added$df
  row.names(df) <- df$unit
  attr(df, "components") <- added$names
  attr(df, "quantity") <- quantity
  with_units(df, stats::setNames(units[names(table)], added$names))
}

cetwin_consumption <- function(x) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  table <- h5_frame(h5_dataset(r, "simulate/consumption"))
  units <- attr(table, "units")
  df <- data.frame(unit = row.names(table), stringsAsFactors = FALSE)
  added <- add_columns(df, table, "carrier")
  df <- added$df
  row.names(df) <- df$unit
  with_units(df, stats::setNames(units[names(table)], added$names))
}
