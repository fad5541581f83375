# config: YAML loading, the node tree and its typed accessors, --set
# overrides, the readers that turn a case into model objects, and CSV time
# series (price histories).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/csv.c
  ${CMAKE_CURRENT_LIST_DIR}/emit.c
  ${CMAKE_CURRENT_LIST_DIR}/load.c
  ${CMAKE_CURRENT_LIST_DIR}/node.c
  ${CMAKE_CURRENT_LIST_DIR}/override.c
  ${CMAKE_CURRENT_LIST_DIR}/read_case.c
  ${CMAKE_CURRENT_LIST_DIR}/read_enumerate.c
  ${CMAKE_CURRENT_LIST_DIR}/read_feed.c
  ${CMAKE_CURRENT_LIST_DIR}/read_library.c
  ${CMAKE_CURRENT_LIST_DIR}/read_util.c
  ${CMAKE_CURRENT_LIST_DIR}/yaml_parse.c)
# config: network cases (the twin's units, streams, environment and exergy).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/read_environment.c
  ${CMAKE_CURRENT_LIST_DIR}/read_exergy.c
  ${CMAKE_CURRENT_LIST_DIR}/read_network.c
  ${CMAKE_CURRENT_LIST_DIR}/read_param.c
  ${CMAKE_CURRENT_LIST_DIR}/read_structural.c)
# config: optimisation cases (usage stage, design variables, objectives, settings).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/optimize_spec.c
  ${CMAKE_CURRENT_LIST_DIR}/read_optimize.c
  ${CMAKE_CURRENT_LIST_DIR}/read_optimize_settings.c
  ${CMAKE_CURRENT_LIST_DIR}/read_usage.c)
# config: economics, prices and Monte Carlo cases.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/mc_spec.c
  ${CMAKE_CURRENT_LIST_DIR}/read_economics.c
  ${CMAKE_CURRENT_LIST_DIR}/read_mc.c
  ${CMAKE_CURRENT_LIST_DIR}/read_prices.c)
# config: uncertain variables (Monte Carlo and robust optimisation cases).
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/read_uncertain.c)
# config: robust optimisation cases (draws of uncertain variables per design).
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/read_robust.c)
# config: reconciliation cases (measurements from the case or a CSV file).
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/read_reconcile.c)
# config: sensitivity cases (factors, groups, methods).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/read_factors.c
  ${CMAKE_CURRENT_LIST_DIR}/read_sensitivity.c
  ${CMAKE_CURRENT_LIST_DIR}/sensitivity_spec.c)
# config: flowsheet choice units of networks (enumerated chains chosen by a parameter)
# and the criteria of a strategy (prices, handling per unit).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/read_choice.c
  ${CMAKE_CURRENT_LIST_DIR}/read_criteria.c)
