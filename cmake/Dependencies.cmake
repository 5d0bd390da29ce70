# Every dependency comes from Debian 12 packages (scripts/setup-deps.sh).
find_package(LLVM 14 REQUIRED CONFIG HINTS /usr/lib/llvm-14/lib/cmake/llvm)
find_package(nlohmann_json 3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(GRAPHVIZ REQUIRED IMPORTED_TARGET libcgraph libgvc)

find_program(ANTLR4_TOOL antlr4 REQUIRED)
find_path(ANTLR4_INCLUDE_DIR antlr4-runtime.h PATH_SUFFIXES antlr4-runtime REQUIRED)
# Static: a policy compile is a short-lived process, and loading and
# relocating the shared runtime was a fifth of a small compile.
find_library(ANTLR4_RUNTIME_LIB NAMES libantlr4-runtime.a antlr4-runtime REQUIRED)
add_library(antlr4_runtime INTERFACE)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # Clang with libstdc++ 12 rejects misc/InterpreterDataReader.h (a defaulted
  # constructor over a const std::vector member); GCC accepts it. Nothing we
  # build uses that header, so clang builds see the runtime's umbrella header
  # without it, derived at configure time from the installed one.
  file(READ ${ANTLR4_INCLUDE_DIR}/antlr4-runtime.h umbrella)
  string(REPLACE "#include \"misc/InterpreterDataReader.h\"" "" umbrella "${umbrella}")
  file(WRITE ${CMAKE_BINARY_DIR}/antlr4-shim/antlr4-runtime.h "${umbrella}")
  target_include_directories(antlr4_runtime BEFORE INTERFACE ${CMAKE_BINARY_DIR}/antlr4-shim)
endif()
target_include_directories(antlr4_runtime SYSTEM INTERFACE ${ANTLR4_INCLUDE_DIR})
target_link_libraries(antlr4_runtime INTERFACE ${ANTLR4_RUNTIME_LIB})

# LLVM Support/ADT only. LLVM is built without RTTI; we keep RTTI (ANTLR needs
# it) and never derive from LLVM classes that need typeinfo.
add_library(llvm_support INTERFACE)
target_include_directories(llvm_support SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS})
target_compile_definitions(llvm_support INTERFACE ${LLVM_DEFINITIONS})
llvm_map_components_to_libnames(PEAPOD_LLVM_LIBS support)
target_link_libraries(llvm_support INTERFACE ${PEAPOD_LLVM_LIBS})
