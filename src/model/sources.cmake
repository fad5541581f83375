# model sources.
list(APPEND CETWIN_SOURCES)
# model: discounted cash flow engine.
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/dcf.c)
# model: price models (constant, path, AR fitted to histories) and correlated paths.
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/price.c)
# model: UNFC ratings of economic factors and the lowest-rating rule.
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/unfc.c)
