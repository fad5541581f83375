# drivers: the analyses (enumerate, simulate, mc, sensitivity, optimize).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/analyses.c
  ${CMAKE_CURRENT_LIST_DIR}/cash_report.c
  ${CMAKE_CURRENT_LIST_DIR}/checkpointing.c
  ${CMAKE_CURRENT_LIST_DIR}/enumerate.c
  ${CMAKE_CURRENT_LIST_DIR}/enumerate_report.c
  ${CMAKE_CURRENT_LIST_DIR}/info.c
  ${CMAKE_CURRENT_LIST_DIR}/price_report.c
  ${CMAKE_CURRENT_LIST_DIR}/rows_write.c)
# drivers: reconcile (measured flows adjusted to close the balances).
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/reconcile.c
  ${CMAKE_CURRENT_LIST_DIR}/reconcile_info.c ${CMAKE_CURRENT_LIST_DIR}/reconcile_params.c
  ${CMAKE_CURRENT_LIST_DIR}/reconcile_print.c)
# drivers: simulate (one evaluation of a network twin).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/simulate.c
  ${CMAKE_CURRENT_LIST_DIR}/simulate_choice.c
  ${CMAKE_CURRENT_LIST_DIR}/simulate_info.c
  ${CMAKE_CURRENT_LIST_DIR}/simulate_print.c
  ${CMAKE_CURRENT_LIST_DIR}/simulate_report.c)
# drivers: optimize (NSGA-II or NSGA-III islands over a twin, checkpoints, TOPSIS,
# robust objectives over Monte Carlo draws).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/optimize.c
  ${CMAKE_CURRENT_LIST_DIR}/optimize_checkpoint.c
  ${CMAKE_CURRENT_LIST_DIR}/optimize_history.c
  ${CMAKE_CURRENT_LIST_DIR}/optimize_print.c
  ${CMAKE_CURRENT_LIST_DIR}/optimize_problem.c
  ${CMAKE_CURRENT_LIST_DIR}/optimize_report.c
  ${CMAKE_CURRENT_LIST_DIR}/optimize_robust.c
  ${CMAKE_CURRENT_LIST_DIR}/optimize_write.c)
# drivers: Monte Carlo (sampler, summaries, scenarios, UNFC rating).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/mc.c
  ${CMAKE_CURRENT_LIST_DIR}/mc_info.c
  ${CMAKE_CURRENT_LIST_DIR}/mc_report.c
  ${CMAKE_CURRENT_LIST_DIR}/mc_unfc.c
  ${CMAKE_CURRENT_LIST_DIR}/mc_variables.c
  ${CMAKE_CURRENT_LIST_DIR}/scenarios.c)
# drivers: cetwin merge (the shards of a Monte Carlo, a parameter study or
# a Sobol' run).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/merge.c
  ${CMAKE_CURRENT_LIST_DIR}/mc_merge.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_merge.c
  ${CMAKE_CURRENT_LIST_DIR}/shards.c)
# drivers: sensitivity analysis (one at a time, break-even, parameter study,
# Morris, Sobol') on the sampling engine.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_break_even.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_morris.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_info.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_oat.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_points.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_report.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_sobol.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_sobol_report.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_sweep.c)
