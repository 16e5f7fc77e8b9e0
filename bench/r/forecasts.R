# R's forecast package on the series of bench/versus-r.ts (issue 18's reference): for every series,
# forecast::ets, forecast::thetaf and (with --arima) forecast::auto.arima, fitted on the training part.
# Rscript bench/r/forecasts.R IN.csv OUT.csv [--arima] [--cores N]
# IN: one series per line, "id,horizon,v1,v2,…" (the training part only, never the hold-out).
# OUT: one forecast per line, "id,method,f1,…,fh"; a method that fails is written as NA.
suppressMessages(library(forecast))
suppressMessages(library(parallel))
args <- commandArgs(trailingOnly = TRUE)
input <- args[1]
output <- args[2]
arima <- "--arima" %in% args
cores <- if ("--cores" %in% args) as.integer(args[which(args == "--cores") + 1]) else 2L
lines <- readLines(input)
one <- function(line) {
  cells <- strsplit(line, ",", fixed = TRUE)[[1]]
  id <- cells[1]
  h <- as.integer(cells[2])
  y <- ts(as.numeric(cells[-(1:2)]), frequency = 12)
  point <- function(f) tryCatch(as.numeric(f()), error = function(e) rep(NA_real_, h))
  result <- list(
    ets = point(function() forecast(ets(y), h = h)$mean),
    theta = point(function() thetaf(y, h = h)$mean)
  )
  if (arima) result$arima <- point(function() forecast(auto.arima(y), h = h)$mean)
  paste(id, names(result), sapply(result, function(f) paste(format(f, digits = 15, scientific = FALSE, trim = TRUE), collapse = ",")), sep = ",")
}
out <- unlist(mclapply(lines, one, mc.cores = cores))
writeLines(out, output)
