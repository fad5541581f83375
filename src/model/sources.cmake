# model: process library, flowsheet enumeration, networks, discounted cash
# flows, price models, environment, UNFC rating.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/dcf.c
  ${CMAKE_CURRENT_LIST_DIR}/dcf_check.c
  ${CMAKE_CURRENT_LIST_DIR}/dcf_eval.c
  ${CMAKE_CURRENT_LIST_DIR}/dcf_lanes.c
  ${CMAKE_CURRENT_LIST_DIR}/enumerate.c
  ${CMAKE_CURRENT_LIST_DIR}/price.c
  ${CMAKE_CURRENT_LIST_DIR}/price_fit.c
  ${CMAKE_CURRENT_LIST_DIR}/price_set.c
  ${CMAKE_CURRENT_LIST_DIR}/process.c
  ${CMAKE_CURRENT_LIST_DIR}/unfc.c)
# model: flowsheet networks (the twin: parameters, graph, flows, environment, exergy).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/network.c
  ${CMAKE_CURRENT_LIST_DIR}/params.c
  ${CMAKE_CURRENT_LIST_DIR}/reconcile.c
  ${CMAKE_CURRENT_LIST_DIR}/reconcile_split.c
  ${CMAKE_CURRENT_LIST_DIR}/sparse_lu.c
  ${CMAKE_CURRENT_LIST_DIR}/twin.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_diagnostics.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_env.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_exergy.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_flows.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_graph.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_kinds.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_structural.c
  ${CMAKE_CURRENT_LIST_DIR}/unit_exchange.c
  ${CMAKE_CURRENT_LIST_DIR}/unit_feed.c
  ${CMAKE_CURRENT_LIST_DIR}/unit_mixer.c
  ${CMAKE_CURRENT_LIST_DIR}/unit_process.c
  ${CMAKE_CURRENT_LIST_DIR}/unit_selector.c
  ${CMAKE_CURRENT_LIST_DIR}/unit_sink.c
  ${CMAKE_CURRENT_LIST_DIR}/unit_splitter.c)
# model: the usage stage (tabulated values with a fixed share per unit in use).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/twin_usage.c)
# model: economics of a twin (description, discounted cash flow stage).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/economics.c
  ${CMAKE_CURRENT_LIST_DIR}/sampler.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_draws.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_econ.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_econ_prices.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_factored.c)
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/vexp.c)
# The exp kernel vectorises only without FP trapping semantics (its results
# do not depend on it: no FP exception flags are read).
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/vexp.c PROPERTIES COMPILE_OPTIONS
                            "-fno-trapping-math")
# model: flowsheet choice units (a chosen chain composed into one transformation),
# the criteria of a strategy, and the totals of terms that stages register.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/twin_choice.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_criteria.c
  ${CMAKE_CURRENT_LIST_DIR}/twin_totals.c)
