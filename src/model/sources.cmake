# model sources.
list(APPEND CETWIN_SOURCES)
# model: discounted cash flow engine.
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/dcf.c)
# model: price models (constant, path, AR fitted to histories) and correlated paths.
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/price.c)
