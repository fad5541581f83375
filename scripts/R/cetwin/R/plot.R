# plot.R: base-graphics plots of a result: the Pareto front, the
# distribution of an MC metric (empirical CDF with P5/P50/P95), the tornado
# and the Sobol' indices. Units on the axes, titles from the case name, the
# Okabe-Ito colour-blind-safe palette; file = "x.png" writes a PNG.

cetwin_palette <- function() {
  c(blue = "#0072B2", orange = "#E69F00", green = "#009E73", vermillion = "#D55E00",
    sky = "#56B4E9", purple = "#CC79A7", yellow = "#F0E442", black = "#000000")
}

# "name [unit]", or the name alone for a missing or dimensionless unit.
axis_label <- function(name, unit) {
  if (is.null(unit) || is.na(unit) || unit %in% c("", "1")) {
    return(name)
  }
  sprintf("%s [%s]", name, unit)
}

# The power of 1000 that keeps axis numbers short for values in unit:
# list(divisor, unit with the SI prefix: EUR -> MEUR, t/a -> kt/a). Units
# with an exponent or none ("1") are left as they are. A share of a whole
# (share TRUE: a recovery, the IRR) is drawn in per cent, as cetwin info
# prints it.
axis_scale <- function(values, unit, share = FALSE) {
  if (isTRUE(share)) {
    return(list(divisor = 0.01, unit = "%"))
  }
  top <- max(abs(values), na.rm = TRUE, 0)
  if (!is.finite(top) || is.null(unit) || is.na(unit) || !grepl("^[A-Za-z]", unit) ||
      grepl("[0-9]", gsub("CO2e", "", unit, fixed = TRUE)) || grepl("^(k|M|G)", unit)) {
    return(list(divisor = 1, unit = unit))
  }
  for (p in list(c(1e9, "G"), c(1e6, "M"), c(1e4, "k"))) {
    if (top >= as.numeric(p[1])) {
      divisor <- if (p[2] == "k") 1e3 else as.numeric(p[1])
      return(list(divisor = divisor, unit = paste0(p[2], unit)))
    }
  }
  list(divisor = 1, unit = unit)
}

# Opens a PNG device (cairo: no X server needed) when file is given;
# returns a function that closes it, or, drawing on the current device,
# one that restores its graphical parameters.
open_device <- function(file, width, height) {
  if (is.null(file)) {
    old <- graphics::par(no.readonly = TRUE)
    return(function() {
      graphics::par(old)
      invisible(NULL)
    })
  }
  grDevices::png(file, width = width, height = height, res = 110, type = "cairo")
  device <- grDevices::dev.cur()
  function() {
    grDevices::dev.off(device)
    invisible(NULL)
  }
}

plot_title <- function(r, what) {
  sprintf("%s: %s", r$case, what)
}

# Short numbers for axis annotations.
fmt <- function(v) {
  trimws(formatC(v, digits = 3, format = "g", big.mark = ","))
}

# A count with thousands separators.
count <- function(n) {
  formatC(n, format = "d", big.mark = ",")
}

cetwin_plot_front <- function(x, colour_by = NULL, top = 5, file = NULL, width = 1000,
                              height = 800) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  front <- cetwin_front(r)
  data <- front
  obj <- cetwin_objectives(r)
  cols <- attr(front, "objectives")
  labels <- character(length(cols))
  for (i in seq_along(cols)) {
    sc <- axis_scale(c(front[[cols[i]]], obj$utopia[i], obj$nadir[i]),
                     attr(front, "units")[[cols[i]]], obj$share[i])
    front[[cols[i]]] <- front[[cols[i]]] / sc$divisor
    obj$utopia[i] <- obj$utopia[i] / sc$divisor
    obj$nadir[i] <- obj$nadir[i] / sc$divisor
    labels[i] <- axis_label(cols[i], sc$unit)
  }
  pal <- cetwin_palette()
  colour <- rep(pal[["blue"]], nrow(front))
  point_key <- pal[["blue"]]
  legend_text <- NULL
  if (!is.null(colour_by)) {
    if (!colour_by %in% names(front)) {
      stop(sprintf("%s: no column '%s' in the front (design variables: %s)", r$path,
                   colour_by, paste(attr(front, "design"), collapse = ", ")), call. = FALSE)
    }
    v <- front[[colour_by]]
    ramp <- grDevices::hcl.colors(64, "viridis")
    span <- range(v, finite = TRUE)
    at <- if (diff(span) > 0) (v - span[1]) / diff(span) else rep(0.5, length(v))
    colour <- ramp[1 + round(at * 63)]
    point_key <- ramp[32]
    legend_text <- sprintf("colour: %s, %s (dark) to %s (light)",
                           axis_label(colour_by, attr(front, "units")[[colour_by]]),
                           fmt(span[1]), fmt(span[2]))
  }
  best <- front$topsis_rank <= top
  title <- plot_title(r, sprintf("Pareto front (%d points; TOPSIS best %d ringed)",
                                 nrow(front), min(top, nrow(front))))
  close_device <- open_device(file, width, height)
  on.exit(close_device(), add = TRUE)
  mark <- function(i, j) {
    graphics::points(front[best, cols[i]], front[best, cols[j]], pch = 1, cex = 1.8, lwd = 2,
                     col = pal[["vermillion"]])
    rank1 <- front$topsis_rank == 1
    graphics::points(front[rank1, cols[i]], front[rank1, cols[j]], pch = 8, cex = 1.8, lwd = 2,
                     col = pal[["vermillion"]])
    graphics::points(obj$utopia[i], obj$utopia[j], pch = 17, cex = 1.6, col = pal[["green"]])
    graphics::points(obj$nadir[i], obj$nadir[j], pch = 15, cex = 1.6, col = pal[["black"]])
  }
  # the key in one row at the bottom of the figure, outside the data
  key <- function() {
    graphics::legend(graphics::grconvertX(0.5, "ndc", "user"),
                     graphics::grconvertY(0.01, "ndc", "user"), xjust = 0.5, yjust = 0,
                     horiz = TRUE, xpd = NA, bty = "n", cex = 0.8,
                     legend = c("front point", "TOPSIS best", "TOPSIS rank 1", "utopia", "nadir"),
                     pch = c(16, 1, 8, 17, 15), pt.lwd = c(1, 2, 2, 1, 1),
                     col = c(point_key, pal[["vermillion"]], pal[["vermillion"]], pal[["green"]],
                             pal[["black"]]))
  }
  if (length(cols) == 2) {
    graphics::par(mar = c(6, 5, 4, 1))
    xl <- range(front[[cols[1]]], obj$utopia[1], obj$nadir[1], finite = TRUE)
    yl <- range(front[[cols[2]]], obj$utopia[2], obj$nadir[2], finite = TRUE)
    graphics::plot(front[[cols[1]]], front[[cols[2]]], pch = 16, col = colour, xlim = xl,
                   ylim = yl, xlab = labels[1], ylab = labels[2], main = title,
                   cex.main = 1, las = 1)
    graphics::grid(col = "grey85")
    mark(1, 2)
    key()
    if (!is.null(legend_text)) graphics::mtext(legend_text, side = 3, line = 0.3, cex = 0.8)
  } else if (length(cols) > 2) {
    m <- as.matrix(front[cols])
    colnames(m) <- gsub(" [", "\n[", labels, fixed = TRUE)
    panel <- function(px, py, ...) {
      i <- which(apply(m, 2, function(c) identical(c, px)))[1]
      j <- which(apply(m, 2, function(c) identical(c, py)))[1]
      graphics::points(px, py, pch = 16, cex = 0.7, col = colour)
      mark(i, j)
    }
    graphics::pairs(m, panel = panel, main = title, cex.main = 1, cex.labels = 1.1,
                    gap = 0.4, oma = c(7.5, 4, 5, 4), las = 1)
    graphics::par(fig = c(0, 1, 0, 1), oma = c(0, 0, 0, 0), mar = c(0, 0, 0, 0), new = TRUE)
    graphics::plot.new()
    key()
    if (!is.null(legend_text)) graphics::mtext(legend_text, side = 1, line = -2.6, cex = 0.8)
  } else {
    graphics::par(mar = c(4.5, 5, 4, 1))
    graphics::stripchart(front[[cols[1]]], pch = 16, col = colour, xlab = labels[1],
                         main = title, cex.main = 1)
  }
  invisible(data)
}

# Values of an MC metric for the CDF: the stored draws (every k-th row when
# there are more than max_points), or NULL without stored draws.
draw_values <- function(r, metric, max_points) {
  n <- cetwin_mc_draw_count(r)
  if (n == 0) {
    return(NULL)
  }
  step <- max(1L, as.integer(ceiling(n / max_points)))
  rows <- seq(1L, n, by = step)
  ds <- r$file[["mc/draws/metrics"]]
  j <- match(metric, as.character(h5_labels(ds, 2)))
  if (is.na(j)) {
    return(NULL)
  }
  if (step == 1) {
    v <- as.numeric(ds[j, ])
  } else {
    v <- numeric(0)
    # strided reads block by block keep memory small for any draw count
    block <- 1e6
    for (first in seq(1, n, by = block)) {
      take <- rows[rows >= first & rows < first + block]
      if (length(take)) v <- c(v, as.numeric(ds[j, take]))
    }
  }
  list(values = v[is.finite(v)], step = step, n = n)
}

cetwin_plot_npv_cdf <- function(x, metric = "npv", max_points = 1e5, file = NULL,
                                width = 1000, height = 700) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  s <- cetwin_mc_summary(r)
  if (!metric %in% s$metric) {
    stop(sprintf("%s: no Monte Carlo metric '%s' (the summary has: %s)", r$path, metric,
                 paste(s$metric, collapse = ", ")), call. = FALSE)
  }
  row <- s[metric, ]
  draws <- draw_values(r, metric, max_points)
  refs <- c(deterministic = cetwin_metrics(r)[metric, "value"])
  for (sc in cetwin_scenarios(r)) {
    m <- cetwin_metrics(r, sc)
    if (metric %in% m$metric) refs[[sc]] <- m[metric, "value"]
  }
  refs <- refs[is.finite(refs)]
  pal <- cetwin_palette()
  q <- c(row$min, row$p5, row$p10, row$p50, row$p90, row$p95, row$max)
  sc <- axis_scale(c(q, refs), row$unit, row$share)
  q <- q / sc$divisor
  refs <- refs / sc$divisor
  close_device <- open_device(file, width, height)
  on.exit(close_device(), add = TRUE)
  graphics::par(mar = c(4.5, 4.5, 6, 1))
  xl <- range(q, refs, finite = TRUE)
  xlab <- axis_label(metric, sc$unit)
  if (!is.null(draws)) {
    v <- sort(draws$values) / sc$divisor
    source <- if (draws$step > 1) {
      sprintf("CDF of one draw in %d of %s draws", draws$step, count(draws$n))
    } else {
      sprintf("empirical CDF of %s draws", count(draws$n))
    }
    graphics::plot(v, seq_along(v) / length(v), type = "s", lwd = 2, col = pal[["blue"]],
                   xlim = xl, ylim = c(0, 1), xlab = xlab, ylab = "cumulative probability",
                   main = "", las = 1)
  } else {
    # without stored draws: the CDF through the summary's order statistics
    p <- c(0, 0.05, 0.10, 0.50, 0.90, 0.95, 1)
    source <- sprintf("%s draws (not stored): CDF through min, P5, P10, P50, P90, P95, max",
                      count(row$n))
    graphics::plot(q, p, type = "o", pch = 16, lwd = 2, col = pal[["blue"]], xlim = xl,
                   ylim = c(0, 1), xlab = xlab, ylab = "cumulative probability", main = "",
                   las = 1)
  }
  graphics::title(main = plot_title(r, sprintf("distribution of %s", metric)), line = 4.2,
                  cex.main = 1)
  graphics::mtext(source, side = 3, line = 3, cex = 0.8)
  graphics::mtext(sprintf("mean %s, P(%s < 0) = %.3f, CVaR5 %s (%s)",
                          fmt(row$mean / sc$divisor), metric, row$prob_negative,
                          fmt(row$cvar5 / sc$divisor), sc$unit),
                  side = 3, line = 2, cex = 0.8)
  graphics::grid(col = "grey85")
  pct <- c(P5 = q[2], P50 = q[4], P95 = q[6])
  graphics::abline(v = pct, col = pal[["vermillion"]], lwd = 2, lty = c(2, 1, 2))
  graphics::axis(3, at = pct, labels = names(pct), col.axis = pal[["vermillion"]],
                 cex.axis = 0.8, tick = FALSE, line = -0.8)
  if (length(refs)) {
    graphics::abline(v = refs, col = "grey40", lty = 3)
    # labels of lines closer than 3 % of the axis step down so as not to overlap
    o <- order(refs)
    y <- numeric(length(refs))
    for (k in seq_along(o)) {
      near <- k > 1 && refs[o[k]] - refs[o[k - 1]] < 0.03 * diff(xl)
      y[o[k]] <- if (near && y[o[k - 1]] > 0.9) 0.55 else 0.98
    }
    graphics::text(refs, y, names(refs), srt = 90, adj = c(1, -0.3), cex = 0.7, col = "grey25")
  }
  if (xl[1] < 0 && xl[2] > 0) graphics::abline(v = 0, col = "black", lwd = 0.8)
  invisible(row)
}

cetwin_plot_tornado <- function(x, metric = NULL, top = 15, file = NULL, width = 1000,
                                height = 700) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  t <- cetwin_tornado(r, metric)
  metric <- attr(t, "metric")
  unit <- attr(t, "units")[["low"]]
  t <- t[order(t$swing, decreasing = TRUE), ]
  t <- utils::head(t, top)
  t <- t[rev(seq_len(nrow(t))), ]
  sc <- axis_scale(c(t$low, t$high, t$base), unit, attr(t, "share"))
  t$low <- t$low / sc$divisor
  t$high <- t$high / sc$divisor
  base <- t$base[1] / sc$divisor
  pal <- cetwin_palette()
  close_device <- open_device(file, width, height)
  on.exit(close_device(), add = TRUE)
  graphics::par(mar = c(4.5, 1, 4, 1))
  left <- max(graphics::strwidth(t$factor, units = "inches", cex = 0.8)) + 0.3
  graphics::par(mai = c(0.9, left, 0.9, 0.3))
  xl <- range(t$low, t$high, base, finite = TRUE)
  y <- seq_len(nrow(t))
  graphics::plot(NA, xlim = xl, ylim = c(0.5, nrow(t) + 0.5), yaxt = "n",
                 xlab = axis_label(metric, sc$unit), ylab = "",
                 main = plot_title(r, sprintf("tornado of %s (one factor at a time)", metric)),
                 cex.main = 1)
  graphics::grid(ny = NA, col = "grey85")
  graphics::rect(pmin(base, t$low), y - 0.35, pmax(base, t$low), y + 0.35, col = pal[["blue"]],
                 border = NA)
  graphics::rect(pmin(base, t$high), y - 0.35, pmax(base, t$high), y + 0.35,
                 col = pal[["orange"]], border = NA, density = NA)
  graphics::abline(v = base, lwd = 1.5)
  graphics::axis(2, at = y, labels = t$factor, las = 1, cex.axis = 0.8, tick = FALSE)
  graphics::legend("bottomright", bty = "n", cex = 0.8, fill = c(pal[["blue"]], pal[["orange"]]),
                   border = NA, legend = c("factor at its low end", "factor at its high end"))
  graphics::mtext(sprintf("base %s %s", fmt(base), if (sc$unit %in% c("", "1")) "" else sc$unit),
                  side = 3, line = 0.3, cex = 0.8)
  invisible(t)
}

cetwin_plot_sobol <- function(x, metric = NULL, file = NULL, width = 1000, height = 700) {
  r <- as_result(x)
  on.exit(close_opened(x, r))
  s <- cetwin_sobol(r, metric)
  metric <- attr(s, "metric")
  s <- s[order(s$ST, decreasing = TRUE), ]
  pal <- cetwin_palette()
  close_device <- open_device(file, width, height)
  on.exit(close_device(), add = TRUE)
  bottom <- max(graphics::strwidth(s$group, units = "inches", cex = 0.8)) + 0.6
  graphics::par(mai = c(bottom, 0.9, 0.9, 0.3))
  m <- rbind(S1 = s$S1, ST = s$ST)
  hi <- max(1, s$S1_high, s$ST_high, na.rm = TRUE)
  lo <- min(0, s$S1_low, s$ST_low, na.rm = TRUE)
  mid <- graphics::barplot(m, beside = TRUE, col = c(pal[["blue"]], pal[["orange"]]),
                           border = NA, ylim = c(lo, hi), names.arg = s$group, las = 2,
                           cex.names = 0.8,
                           ylab = sprintf("index (share of the variance of %s)", metric),
                           main = plot_title(r, sprintf("Sobol' indices of %s", metric)),
                           cex.main = 1)
  graphics::abline(h = 0)
  level <- attr(s, "level")
  low <- c(rbind(s$S1_low, s$ST_low))
  high <- c(rbind(s$S1_high, s$ST_high))
  # whiskers shorter than a pixel are left out (arrows() warns on them)
  ok <- is.finite(low) & is.finite(high) & high - low > 2e-3 * (hi - lo)
  if (any(ok)) {
    graphics::arrows(c(mid)[ok], low[ok], c(mid)[ok], high[ok], angle = 90, code = 3,
                     length = 0.03)
  }
  graphics::legend("topright", bty = "n", cex = 0.8, fill = c(pal[["blue"]], pal[["orange"]]),
                   border = NA, legend = c("first order S1", "total ST"))
  graphics::mtext(sprintf("whiskers: %s bootstrap intervals",
                          if (is.null(level)) "" else sprintf("%g %%", 100 * level)),
                  side = 3, line = 0.3, cex = 0.8)
  invisible(s)
}
