# test_cetwin.R: the package's tests. Without result files (R CMD check
# alone) it checks opening errors and the unit lookup on a file it writes.
# With CETWIN_RESULTS (a folder of result files, e.g. every shipped case's)
# and CETWIN_DRAWS (a Monte Carlo result with stored draws) it checks every
# reader on every applicable file against the values read with hdf5r
# directly (transposed by hand here, not through the package), the units,
# the names against the case, and that every plot writes a PNG.
suppressPackageStartupMessages({
  library(cetwin)
  library(hdf5r)
})
failures <- 0
check <- function(ok, what) {
  if (!isTRUE(ok)) {
    cat("FAIL:", what, "\n")
    failures <<- failures + 1
  }
  invisible(ok)
}
# exact equality, NaN matching NaN
same <- function(a, b, what) {
  a <- as.numeric(unlist(a))
  b <- as.numeric(unlist(b))
  check(length(a) == length(b) && identical(is.na(a), is.na(b)) &&
          all(a[!is.na(a)] == b[!is.na(b)]), what)
}
fails_with <- function(expr, pattern, what) {
  msg <- tryCatch({
    force(expr)
    ""
  }, error = function(e) conditionMessage(e))
  check(grepl(pattern, msg), sprintf("%s: error '%s' does not match '%s'", what, msg, pattern))
}
# raw hdf5r reads: a dataset's values with hdf5r's reversed axes, and strings
raw <- function(f, path) f[[path]]$read(drop = FALSE)
rawv <- function(f, path) as.vector(f[[path]]$read())
raws <- function(f, path) as.character(f[[path]]$read())
tmp <- tempfile("cetwin-test-")
dir.create(tmp)
# a plot that touched no device of its own would open Rplots.pdf here
setwd(tmp)

# --- without result files -------------------------------------------------
other <- file.path(tmp, "other.h5")
h <- H5File$new(other, "w")
h5attr(h, "format") <- "something-else"
h$close_all()
fails_with(cetwin_open(other), "not a cetwin result file", "foreign HDF5 file")
old <- file.path(tmp, "old.h5")
h <- H5File$new(old, "w")
h5attr(h, "format") <- "cetwin-result"
h5attr(h, "format_version") <- 1L
h$close_all()
warned <- ""
r <- withCallingHandlers(cetwin_open(old), warning = function(w) {
  warned <<- conditionMessage(w)
  invokeRestart("muffleWarning")
})
check(grepl("format_version 1", warned), "format_version 1 warned about")
fails_with(cetwin_front(r), "no /optimize/front/topsis_rank", "reader on a file without the group")
cetwin_close(r)
fails_with(cetwin_open(file.path(tmp, "missing.h5")), "missing.h5", "missing file")
fails_with(cetwin_front(42), "expected a cetwin result", "bad argument")
df <- data.frame(a = 1, b = 2, row.names = "m")
attr(df, "units") <- c(a = "EUR", b = "t/a")
check(cetwin_unit(df, "b") == "t/a", "unit by column")
check(is.na(cetwin_unit(df, "c")), "no unit: NA")
attr(df, "units") <- c(m = "kWh/a")
attr(df, "units_by") <- "row"
check(cetwin_unit(df, "a", "m") == "kWh/a" && cetwin_unit(df, "a", 1) == "kWh/a", "unit by row")
fails_with(cetwin_unit(df, "a"), "give the row", "unit by row without a row")
check(length(cetwin_palette()) == 8 && !anyDuplicated(cetwin_palette()), "palette")

# --- on result files ------------------------------------------------------
# Every numeric column of df has a unit.
units_complete <- function(df, what) {
  numeric <- names(df)[vapply(df, is.numeric, TRUE)]
  u <- attr(df, "units")
  keys <- if (identical(attr(df, "units_by"), "row")) row.names(df) else numeric
  check(!is.null(u) && all(keys %in% names(u)) && all(nzchar(u[keys])),
        sprintf("%s: units missing for %s", what, paste(setdiff(keys, names(u)), collapse = ", ")))
}
png_ok <- function(make, what) {
  out <- file.path(tmp, paste0(gsub("[^A-Za-z0-9]+", "_", what), ".png"))
  ok <- tryCatch({
    make(out)
    TRUE
  }, error = function(e) {
    cat(conditionMessage(e), "\n")
    FALSE
  })
  check(ok && file.exists(out) && file.info(out)$size > 10000,
        sprintf("%s: no PNG or a blank one (%s bytes)", what,
                if (file.exists(out)) file.info(out)$size else "no file"))
}

# the axes of the plots: a share of a whole in per cent, other units with
# the SI prefix that keeps the numbers short
check(identical(cetwin:::axis_scale(c(0.5, 0.9), "1", TRUE), list(divisor = 0.01, unit = "%")),
      "axis_scale: a share in per cent")
check(identical(cetwin:::axis_scale(c(0.5, 0.9), "1", NA), list(divisor = 1, unit = "1")),
      "axis_scale: no flag, no per cent")
check(identical(cetwin:::axis_scale(c(5e6, 7e7), "EUR"), list(divisor = 1e6, unit = "MEUR")),
      "axis_scale: EUR in MEUR")

test_optimize <- function(r, f, name) {
  front <- cetwin_front(r, metrics = TRUE)
  design <- raws(f, "optimize/design/name")
  objectives <- raws(f, "optimize/objectives/name")
  check(identical(attr(front, "design"), design), paste(name, "design names"))
  check(identical(attr(front, "objectives"), objectives), paste(name, "objective names"))
  d <- raw(f, "optimize/front/design")           # hdf5r: [variable, point]
  for (j in seq_along(design)) same(front[[design[j]]], d[j, ], paste(name, "design", design[j]))
  o <- raw(f, "optimize/front/objectives")
  for (j in seq_along(objectives)) {
    same(front[[objectives[j]]], o[j, ], paste(name, "objective", objectives[j]))
  }
  m <- raw(f, "optimize/front/metrics")
  metric_names <- raws(f, "optimize/front/metric")
  k <- length(metric_names)
  same(front[[attr(front, "metrics")[k]]], m[k, ], paste(name, "last metric"))
  same(front$topsis_rank, rawv(f, "optimize/front/topsis_rank"), paste(name, "TOPSIS rank"))
  check(front$topsis_rank[1] == 1, paste(name, "row 1 has rank 1"))
  units_complete(front, paste(name, "front"))
  ou <- raws(f, "optimize/objectives/units")
  check(identical(unname(attr(front, "units")[objectives]), ou), paste(name, "objective units"))
  # names as in the case: each objective is its metric, with .STATISTIC
  cfg <- r$config$objectives
  if (!is.null(cfg)) {
    expect <- vapply(cfg, function(o) o$metric, "")
    check(all(startsWith(objectives, expect)), paste(name, "objectives as in the case"))
  }
  ob <- cetwin_objectives(r)
  same(ob$utopia, rawv(f, "optimize/objectives/utopia"), paste(name, "utopia"))
  units_complete(ob, paste(name, "objectives"))
  v <- cetwin_variables(r)
  same(v$upper, rawv(f, "optimize/design/upper"), paste(name, "upper bounds"))
  fc <- cetwin_front_choices(r)
  check(nrow(fc) == nrow(front) * length(design), paste(name, "front choices rows"))
  check(identical(fc$variable[seq_along(design)], design), paste(name, "front choices order"))
  same(fc$value[fc$point == 0], d[, 1], paste(name, "front choices values"))
  if (f$exists("optimize/design/choices")) {
    texts <- raws(f, "optimize/design/choices")
    check(identical(v$choices, texts), paste(name, "variables' choices"))
    idle <- raw(f, "optimize/front/no_effect")   # hdf5r: [variable, point]
    check(identical(fc$no_effect, as.vector(idle) != 0), paste(name, "no_effect"))
    # every label, found in the variable's text by its value
    for (j in which(nzchar(texts))) {
      rows <- fc[fc$variable == design[j], ]
      hand <- vapply(rows$value, function(v) {
        hit <- regmatches(texts[j], regexec(paste0("(^|; )", round(v), " ([^;]+)"), texts[j]))
        if (length(hit[[1]]) == 3) hit[[1]][3] else NA_character_
      }, "")
      check(identical(rows$choice, hand), paste(name, "choice labels of", design[j]))
    }
    # each structural variable's text is read once, not once per point
    calls <- new.env()
    calls$n <- 0
    trace("choice_table", tracer = bquote(assign("n", .(calls)$n + 1, envir = .(calls))),
          where = asNamespace("cetwin"), print = FALSE)
    cetwin_front_choices(r)
    untrace("choice_table", where = asNamespace("cetwin"))
    check(calls$n == sum(nzchar(texts)),
          sprintf("%s: %d readings of the choices of %d variables", name, calls$n,
                  sum(nzchar(texts))))
    check(all(is.na(fc$choice[!nzchar(texts[match(fc$variable, design)])])),
          paste(name, "no label for a continuous variable"))
    check(any(fc$no_effect), paste(name, "some variable without effect"))
  } else {
    check(all(is.na(fc$choice)) && !any(fc$no_effect), paste(name, "no structural variables"))
  }
  if (f$exists("optimize/front/statistics")) {
    s <- cetwin_front_statistics(r)
    st <- raw(f, "optimize/front/statistics")     # [statistic, summarised, point]
    stat <- raws(f, "optimize/front/statistic")
    metrics <- raws(f, "optimize/front/summarised")
    pick <- s$point == 3 & s$metric == metrics[2] & s$statistic == stat[3]
    same(s$value[pick], st[3, 2, 4], paste(name, "robust statistic"))
    shares <- rawv(f, "optimize/robust/share") == 1
    check(identical(s$share, shares[match(s$metric, raws(f, "optimize/robust/metrics"))]),
          paste(name, "robust share flags"))
  }
  png_ok(function(out) cetwin_plot_front(r, file = out), paste(name, "front"))
  png_ok(function(out) cetwin_plot_front(r, colour_by = design[1], file = out),
         paste(name, "front coloured"))
}

test_cash_flow <- function(r, f, name, group, scenario) {
  cf <- cetwin_cash_flow(r, scenario)
  y <- raw(f, paste0(group, "/cash_flow/row_yearly"))   # [year, row]
  years <- rawv(f, paste0(group, "/cash_flow/year"))
  check(identical(attr(cf, "years"), as.numeric(years)), paste(name, group, "years"))
  for (k in seq_along(years)) {
    same(cf[[as.character(years[k])]], y[k, ], paste(name, group, "year", years[k]))
  }
  check(identical(cf$name, raws(f, paste0(group, "/cash_flow/rows"))), paste(name, group, "rows"))
  same(cf$discounted, rawv(f, paste0(group, "/cash_flow/row_discounted")),
       paste(name, group, "discounted"))
  units_complete(cf, paste(name, group, "cash flow"))
  g <- cetwin_cash_flow(r, scenario, by = "group")
  gy <- raw(f, paste0(group, "/cash_flow/group_yearly"))
  same(g[[as.character(years[2])]], gy[2, ], paste(name, group, "group year 1"))
  n <- cetwin_cash_flow(r, scenario, by = "year")
  same(n$cumulative_discounted, rawv(f, paste0(group, "/cash_flow/cumulative_discounted")),
       paste(name, group, "cumulative"))
  units_complete(n, paste(name, group, "cash flow by year"))
}

test_mc <- function(r, f, name) {
  s <- cetwin_mc_summary(r)
  metrics <- raws(f, "mc/summary/metrics")
  check(identical(row.names(s), metrics), paste(name, "summary metrics"))
  if (!is.null(r$config$mc$metrics)) {
    check(identical(metrics, unlist(r$config$mc$metrics)), paste(name, "metrics as in the case"))
  }
  for (col in c("mean", "sd", "p5", "p50", "p95", "prob_negative", "cvar5", "n")) {
    same(s[[col]], rawv(f, paste0("mc/summary/", col)), paste(name, "summary", col))
  }
  units_complete(s, paste(name, "summary"))
  check(identical(unname(attr(s, "units")), raws(f, "mc/summary/units")), paste(name, "summary units"))
  m <- cetwin_metrics(r)
  same(m$value, rawv(f, "mc/deterministic/metrics/value"), paste(name, "deterministic metrics"))
  test_cash_flow(r, f, name, "mc/deterministic", NULL)
  scenarios <- cetwin_scenarios(r)
  check(identical(scenarios, raws(f, "mc/scenarios/names")), paste(name, "scenarios"))
  for (sc in scenarios) {
    test_cash_flow(r, f, name, paste0("mc/scenarios/", sc), sc)
  }
  fails_with(cetwin_cash_flow(r, "nope"), "no scenario 'nope'", paste(name, "unknown scenario"))
  n <- cetwin_mc_draw_count(r)
  if (n > 0) {
    d <- raw(f, "mc/draws/metrics")               # [metric, draw]
    all <- cetwin_mc_draws(r)
    check(nrow(all) == n && identical(names(all)[-1], metrics), paste(name, "draws shape"))
    same(all$npv, d[match("npv", metrics), ], paste(name, "draws npv"))
    same(all$draw, rawv(f, "mc/draws/index"), paste(name, "draw indices"))
    part <- cetwin_mc_draws(r, c("irr", "payback"), rows = c(n - 10, n - 3, n))
    check(identical(names(part), c("draw", "irr", "payback")), paste(name, "columns asked for"))
    same(part$payback, d[match("payback", metrics), c(n - 10, n - 3, n)], paste(name, "row subset"))
    check(identical(unname(attr(part, "units")), c("1", "1", "a")), paste(name, "draw units"))
    fails_with(cetwin_mc_draws(r, "nope"), "no column nope", paste(name, "unknown draw column"))
    # the inputs: none in a case that draws its prices alone (bollrich)
    inputs <- cetwin_mc_draws(r, what = "inputs")
    k <- f[["mc/draws/inputs"]]$dims[1]
    check(nrow(inputs) == n && ncol(inputs) == k + 1 && identical(inputs$draw, all$draw),
          paste(name, "draws inputs"))
    fails_with(cetwin_mc_draws(r, rows = n + 1), "asked for", paste(name, "rows out of range"))
    png_ok(function(out) cetwin_plot_npv_cdf(r, file = out), paste(name, "CDF of the draws"))
    png_ok(function(out) cetwin_plot_npv_cdf(r, max_points = n / 10, file = out),
           paste(name, "CDF of every 10th draw"))
  } else {
    fails_with(cetwin_mc_draws(r), "no /mc/draws", paste(name, "draws not stored"))
    png_ok(function(out) cetwin_plot_npv_cdf(r, file = out), paste(name, "CDF of the summary"))
  }
  fails_with(cetwin_plot_npv_cdf(r, "nope"), "no Monte Carlo metric", paste(name, "CDF metric"))
}

test_simulate <- function(r, f, name) {
  st <- cetwin_streams(r)
  components <- raws(f, "simulate/components")
  check(identical(attr(st, "components"), components), paste(name, "components"))
  fl <- raw(f, "simulate/streams/flow")           # [component, stream]
  for (j in seq_along(components)) same(st[[components[j]]], fl[j, ], paste(name, "flow", components[j]))
  same(st$total, rawv(f, "simulate/streams/total"), paste(name, "totals"))
  check(identical(row.names(st), raws(f, "simulate/streams/name")), paste(name, "stream names"))
  units_complete(st, paste(name, "streams"))
  check(all(attr(st, "units")[components] == h5attr(f[["simulate"]], "flow_units")),
        paste(name, "flow units"))
  if (!is.null(r$config$network$units)) {
    check(all(st$from %in% names(r$config$network$units)), paste(name, "units as in the case"))
  }
  for (q in c("inflow", "outflow", "closure")) {
    b <- cetwin_balances(r, q)
    v <- raw(f, paste0("simulate/balance/", q))
    same(b[[components[1]]], v[1, ], paste(name, q, components[1]))
    same(b[[components[length(components)]]], v[length(components), ], paste(name, q, "last"))
    units_complete(b, paste(name, q))
  }
  cons <- cetwin_consumption(r)
  carriers <- raws(f, "simulate/carriers")
  cv <- raw(f, "simulate/consumption")
  for (j in seq_along(carriers)) same(cons[[carriers[j]]], cv[j, ], paste(name, "consumption", carriers[j]))
  units_complete(cons, paste(name, "consumption"))
  m <- cetwin_metrics(r)
  same(m$value, rawv(f, "simulate/metrics/value"), paste(name, "metrics"))
  check(identical(m$family, raws(f, "simulate/metrics/family")), paste(name, "metric families"))
}

test_sensitivity <- function(r, f, name) {
  metrics <- raws(f, "sensitivity/metrics")
  shares <- rawv(f, "sensitivity/metric_share") == 1
  if (!is.null(r$config$sensitivity$metrics)) {
    check(identical(metrics, unlist(r$config$sensitivity$metrics)), paste(name, "metrics as in the case"))
  }
  factor_names <- raws(f, "sensitivity/factors/name")
  case_factors <- vapply(r$config$sensitivity$factors, function(x) x$name, "")
  for (k in seq_along(metrics)) {
    what <- paste(name, metrics[k])
    if (f$exists("sensitivity/oat")) {
      t <- cetwin_tornado(r, metrics[k])
      v <- raw(f, "sensitivity/oat/tornado/values")   # [metric, end, factor]
      same(t$low, v[k, 1, ], paste(what, "tornado low"))
      same(t$high, v[k, 2, ], paste(what, "tornado high"))
      same(t$swing, raw(f, "sensitivity/oat/tornado/swing")[k, ], paste(what, "swing"))
      check(identical(t$factor, factor_names[rawv(f, "sensitivity/oat/factors") + 1]),
            paste(what, "tornado factors"))
      check(all(t$factor %in% case_factors), paste(what, "factors as in the case"))
      check(attr(t, "units")[["low"]] == raws(f, "sensitivity/metric_units")[k],
            paste(what, "tornado unit"))
      check(identical(attr(t, "share"), shares[k]), paste(what, "tornado share flag"))
      # a share is drawn in per cent: the tornado gives axis_scale the flag
      seen <- new.env()
      trace("axis_scale", tracer = bquote(assign("share", isTRUE(share), envir = .(seen))),
            where = asNamespace("cetwin"), print = FALSE)
      png_ok(function(out) cetwin_plot_tornado(r, metrics[k], file = out), paste(what, "tornado"))
      untrace("axis_scale", where = asNamespace("cetwin"))
      check(identical(seen$share, isTRUE(shares[k])), paste(what, "tornado axis of a share"))
      # on the current device: drawn there, its parameters restored
      png_ok(function(out) {
        grDevices::png(out, width = 800, height = 600, type = "cairo")
        graphics::par(mar = c(1, 2, 3, 4))
        cetwin_plot_tornado(r, metrics[k])
        check(identical(graphics::par("mar"), c(1, 2, 3, 4)), paste(what, "par restored"))
        grDevices::dev.off()
      }, paste(what, "tornado on the current device"))
    }
    if (f$exists("sensitivity/morris")) {
      mo <- cetwin_morris(r, metrics[k])
      same(mo$mu_star, raw(f, "sensitivity/morris/mu_star")[k, ], paste(what, "mu*"))
      same(mo$sigma, raw(f, "sensitivity/morris/sigma")[k, ], paste(what, "sigma"))
      units_complete(mo, paste(what, "Morris"))
      check(identical(attr(mo, "share"), shares[k]), paste(what, "Morris share flag"))
    }
    if (f$exists("sensitivity/sobol")) {
      s <- cetwin_sobol(r, metrics[k])
      first <- raw(f, "sensitivity/sobol/first")[k, ]
      conf <- raw(f, "sensitivity/sobol/first_conf")[k, ]
      same(s$S1, first, paste(what, "S1"))
      same(s$S1_low, first - conf, paste(what, "S1 lower end"))
      same(s$ST_high, raw(f, "sensitivity/sobol/total")[k, ] +
             raw(f, "sensitivity/sobol/total_conf")[k, ], paste(what, "ST upper end"))
      check(identical(s$group, raws(f, "sensitivity/sobol/groups")), paste(what, "Sobol groups"))
      units_complete(s, paste(what, "Sobol"))
      check(identical(attr(s, "share"), shares[k]), paste(what, "Sobol share flag"))
      png_ok(function(out) cetwin_plot_sobol(r, metrics[k], file = out), paste(what, "Sobol"))
    }
  }
  if (f$exists("sensitivity/break_even")) {
    be <- cetwin_break_even(r)
    tb <- raw(f, "sensitivity/break_even/table")    # [column, factor]
    cols <- raws(f, "sensitivity/break_even/column")
    for (j in seq_along(cols)) same(be[[cols[j]]], tb[j, ], paste(name, "break-even", cols[j]))
    check(identical(attr(be, "share"), shares[match(attr(be, "metric"), metrics)]),
          paste(name, "break-even share flag"))
  }
  fails_with(cetwin_tornado(r, "nope"), "no sensitivity metric 'nope'", paste(name, "metric"))
}

test_reconcile <- function(r, f, name) {
  rec <- cetwin_reconcile(r)
  m <- rec$measurements
  g <- "reconcile/measurements/"
  for (col in c("stream", "quantity", "units")) {
    check(identical(m[[col]], raws(f, paste0(g, col))), paste(name, col))
  }
  for (col in c("measured", "sd", "reconciled", "reconciled_sd", "adjustment",
                "normalised_adjustment")) {
    same(m[[col]], rawv(f, paste0(g, col)), paste(name, col))
  }
  same(m$redundant, rawv(f, paste0(g, "redundant")), paste(name, "redundant"))
  same(m$used, rawv(f, paste0(g, "used")), paste(name, "used"))
  check(cetwin_unit(m, "sd", 1) == raws(f, paste0(g, "units"))[1] &&
          cetwin_unit(m, "sd", nrow(m)) == "1", paste(name, "units by row"))
  st <- rec$streams
  check(identical(row.names(st), raws(f, "reconcile/streams/name")), paste(name, "streams"))
  same(st$total, rawv(f, "reconcile/streams/total"), paste(name, "totals"))
  same(st$total_sd, rawv(f, "reconcile/streams/total_sd"), paste(name, "total sds"))
  same(rec$flows, t(raw(f, "reconcile/streams/flow")), paste(name, "flows"))
  same(st$components_determined, colSums(raw(f, "reconcile/streams/flow_observable")),
       paste(name, "components determined"))
  g <- f[["reconcile"]]
  same(c(rec$test$chi_square, rec$test$dof, rec$test$critical, rec$test$p_value),
       c(h5attr(g, "chi_square"), h5attr(g, "dof"), h5attr(g, "chi_square_critical"),
         h5attr(g, "p_value")), paste(name, "global test"))
  check(identical(rec$test$outcome, h5attr(g, "global_test")), paste(name, "outcome"))
  culprit <- as.numeric(h5attr(g, "culprit"))
  check(identical(rec$culprit, if (culprit < 0) NA_integer_ else as.integer(culprit + 1)),
        paste(name, "culprit"))
  if (!is.na(rec$culprit)) {
    check(abs(m$normalised_adjustment[rec$culprit]) >
            rec$test$normalised_adjustment_critical, paste(name, "culprit beyond critical"))
  }
  check(length(rec$dropped) == sum(!m$used), paste(name, "dropped"))
}

paths <- character(0)
results <- Sys.getenv("CETWIN_RESULTS")
if (nzchar(results)) {
  paths <- sort(list.files(results, pattern = "[.]h5$", full.names = TRUE))
  check(length(paths) > 0, paste("no result files in", results))
}
if (nzchar(Sys.getenv("CETWIN_DRAWS"))) {
  paths <- c(paths, Sys.getenv("CETWIN_DRAWS"))
}
tested <- character(0)
for (path in paths) {
  name <- basename(path)
  r <- cetwin_open(path)
  f <- H5File$new(path, "r")
  check(identical(r$case, h5attr(f, "case")), paste(name, "case"))
  check(!is.null(r$config_text) && nzchar(r$config_text), paste(name, "resolved config"))
  check(is.list(r$config) || !requireNamespace("yaml", quietly = TRUE), paste(name, "config list"))
  check(identical(r$inputs$file, raws(f, "input/files")), paste(name, "input files"))
  for (a in r$analyses) {
    switch(a,
           optimize = test_optimize(r, f, name),
           mc = test_mc(r, f, name),
           simulate = test_simulate(r, f, name),
           sensitivity = test_sensitivity(r, f, name),
           reconcile = test_reconcile(r, f, name))
    tested <- c(tested, paste(name, a))
  }
  if (!"optimize" %in% r$analyses) {
    fails_with(cetwin_front(r), "no /optimize/front/topsis_rank", paste(name, "no front"))
  }
  f$close_all()
  cetwin_close(r)
  fails_with(cetwin_streams(r), "the result is closed", paste(name, "closed"))
}
# A copy of result file `file` without the dataset at path (a file written
# before it), then changed by edit(h).
copy_without <- function(file, path, edit = function(h) NULL) {
  copy <- tempfile("edited-", tmp, ".h5")
  file.copy(file, copy)
  h <- H5File$new(copy, "r+")
  h$link_delete(path)
  edit(h)
  h$close_all()
  copy
}
# /simulate/metrics/family: a file written before it gets the families the
# metric names had (those the run declares: gwp.fuel, credit.sand and
# recovery.Gangue headline, mass.SINK detail, exergy.UNIT.TERM unit); a
# damaged one is an error naming it; /mc/deterministic has none
if (nzchar(results)) {
  exchange <- file.path(results, "cu-zn-exchange.h5")
  edited <- function(edit) copy_without(exchange, "simulate/metrics/family", edit)
  f <- H5File$new(exchange, "r")
  declared <- raws(f, "simulate/metrics/family")
  f$close_all()
  legacy <- cetwin_metrics(edited(function(h) NULL))
  check(identical(legacy$family, declared),
        paste("without metrics/family:", paste(legacy$metric[legacy$family != declared],
                                                collapse = ", ")))
  fails_with(cetwin_metrics(edited(function(h) h[["simulate/metrics/family"]] <- "detail")),
             sprintf("/simulate/metrics/family holds 1 families for %d metrics", length(declared)),
             "metrics/family too short")
  fails_with(cetwin_metrics(edited(function(h) {
    h[["simulate/metrics/family"]] <- replace(declared, 1, "headlines")
  })), paste("/simulate/metrics/family holds headlines; expected one of headline, detail,",
             "unit, cash_flow"), "unknown metrics/family")
  check(is.null(cetwin_metrics(file.path(results, "bollrich.h5"))$family),
        "/mc/deterministic: a family")
}
# the share flags: as the file records them; a file written before them
# takes every metric of unit "1" for a share (as `cetwin info`), except a
# sensitivity file, whose metrics are then never shares; a damaged flag
# dataset is an error naming it; an /mc evaluation without its own flags
# has the summary's for the metrics it summarises, the unit rule for the
# others. Each reader gives the flags in the dataset's order (read) and the
# flags of a file without it (legacy).
if (nzchar(results)) {
  by_unit <- function(reader) {
    list(read = function(p) reader(p)$share, legacy = function(p) reader(p)$unit == "1")
  }
  # string datasets of a file, read with hdf5r
  strings <- function(p, paths) {
    f <- H5File$new(p, "r")
    on.exit(f$close_all())
    lapply(paths, function(path) raws(f, path))
  }
  # the tornado's flag of each sensitivity metric
  tornado_shares <- function(p) {
    metrics <- strings(p, "sensitivity/metrics")[[1]]
    r <- cetwin_open(p)
    on.exit(cetwin_close(r))
    vapply(metrics, function(m) attr(cetwin_tornado(r, m), "share"), TRUE, USE.NAMES = FALSE)
  }
  # the flag of each robust metric in the robust statistics
  robust_shares <- function(p, metrics) {
    s <- cetwin_front_statistics(p)
    s$share[match(metrics, s$metric)]
  }
  robust_units <- function(p) {
    stats::setNames(strings(p, c("optimize/robust/metrics", "optimize/robust/units")),
                    c("metrics", "units"))
  }
  shares <- list(
    c(list("cu-zn-exchange", "simulate/metrics/share", "metrics"), by_unit(cetwin_metrics)),
    c(list("bollrich", "mc/summary/share", "metrics"), by_unit(cetwin_mc_summary)),
    c(list("bollrich", "mc/deterministic/metrics/share", "metrics"), by_unit(cetwin_metrics)),
    c(list("bollrich", "mc/scenarios/CRR1m/metrics/share", "metrics"),
      by_unit(function(p) cetwin_metrics(p, scenario = "CRR1m"))),
    c(list("bollrich-robust", "optimize/objectives/share", "objectives"),
      by_unit(cetwin_objectives)),
    list("cu-zn-sensitivity", "sensitivity/metric_share", "metrics", read = tornado_shares,
         legacy = function(p) c(FALSE, FALSE)),
    list("bollrich-robust", "optimize/robust/share", "metrics",
         read = function(p) robust_shares(p, robust_units(p)$metrics),
         legacy = function(p) robust_units(p)$units == "1"))
  for (s in shares) {
    file <- file.path(results, paste0(s[[1]], ".h5"))
    path <- s[[2]]
    f <- H5File$new(file, "r")
    declared <- rawv(f, path) == 1
    f$close_all()
    check(identical(s$read(file), declared), paste(path, "flags"))
    old <- copy_without(file, path)
    check(identical(s$read(old), s$legacy(old)), paste(path, "missing: the flags of old files"))
    n <- length(declared)
    fails_with(s$read(copy_without(file, path, function(h) h[[path]] <- rep(0L, n + 1))),
               sprintf("/%s holds %d flags for %d %s", path, n + 1, n, s[[3]]),
               paste(path, "too long"))
    fails_with(s$read(copy_without(file, path, function(h) h[[path]] <- c(2L, rep(0L, n - 1)))),
               sprintf("/%s holds 2; expected one of 0, 1", path), paste(path, "not 0/1"))
    fails_with(s$read(copy_without(file, path, function(h) h[[path]] <- matrix(0L, 2, n))),
               sprintf("/%s has 2 axes; expected one flag per", path), paste(path, "2-D"))
  }
  # bollrich-robust has no share among its robust metrics: one declared, and
  # one of units 1 in a file without the flags
  robust <- file.path(results, "bollrich-robust.h5")
  flagged <- copy_without(robust, "optimize/robust/share",
                          function(h) h[["optimize/robust/share"]] <- c(1L, 0L))
  check(identical(robust_shares(flagged, c("npv", "gwp")), c(TRUE, FALSE)),
        "optimize/robust/share: a declared share")
  unitless <- copy_without(robust, "optimize/robust/share", function(h) {
    h$link_delete("optimize/robust/units")
    h[["optimize/robust/units"]] <- c("1", "t CO2e/a")
  })
  check(identical(robust_shares(unitless, c("npv", "gwp")), c(TRUE, FALSE)),
        "optimize/robust/share missing: units 1 is a share")
  check(any(cetwin_metrics(file.path(results, "cu-zn-exchange.h5"))$share),
        "cu-zn-exchange: no share among its metrics")
  bollrich <- file.path(results, "bollrich.h5")
  m <- cetwin_metrics(bollrich)
  check(isTRUE(m["irr", "share"]) && isFALSE(m["npv", "share"]) &&
          isFALSE(m["dcf.CAPEX", "share"]), "/mc/deterministic: its share flags")
  # without its own flags: the summary's (irr declared no share there), the
  # unit rule for a metric the summary does not record (dcf.CAPEX in units 1)
  old <- copy_without(bollrich, "mc/deterministic/metrics/share", function(h) {
    n <- length(raws(h, "mc/summary/metrics"))
    h$link_delete("mc/summary/share")
    h[["mc/summary/share"]] <- rep(0L, n)
    units <- raws(h, "mc/deterministic/metrics/units")
    units[raws(h, "mc/deterministic/metrics/name") == "dcf.CAPEX"] <- "1"
    h$link_delete("mc/deterministic/metrics/units")
    h[["mc/deterministic/metrics/units"]] <- units
  })
  m <- cetwin_metrics(old)
  check(identical(m$metric[m$share], "dcf.CAPEX"),
        paste("/mc/deterministic without its flags: shares", paste(m$metric[m$share], collapse = " ")))
}
check(!file.exists(file.path(tmp, "Rplots.pdf")), "a plot opened the default device")
check(is.null(grDevices::dev.list()), "a plot left a device open")
cat(sprintf("%d files: %s\n", length(paths), paste(tested, collapse = "; ")))
if (failures > 0) {
  stop(sprintf("%d check(s) failed", failures))
}
cat("all checks passed\n")
