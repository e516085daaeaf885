# SPDX-License-Identifier: GPL-2.0-only
#
# TempoNet as a module of a CMake-based ns-3 source tree (ns-3.36 and later),
# placed (copied or symlinked) at contrib/temponet. ../CMakeLists.txt includes
# this file when ns-3's build_lib macro exists, after setting the TEMPONET_*
# source lists. See doc/in-tree-build.md.

find_package(Torch REQUIRED)
find_package(ZLIB REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)
find_package(Boost REQUIRED COMPONENTS program_options)
find_package(nlohmann_json REQUIRED)
# LibTorch asks for -D_GLIBCXX_USE_CXX11_ABI=1. Where that is the compiler's
# default anyway, drop the flag: it would make ns-3's precompiled headers unusable
# (-Winvalid-pch) in every target that links TempoNet.
include(CheckCXXSourceCompiles)
check_cxx_source_compiles("#include <string>
#if !_GLIBCXX_USE_CXX11_ABI
#error old ABI
#endif
int main() { return 0; }" TEMPONET_CXX11_ABI_IS_DEFAULT)
if(TEMPONET_CXX11_ABI_IS_DEFAULT AND TORCH_CXX_FLAGS STREQUAL "-D_GLIBCXX_USE_CXX11_ABI=1")
  set_property(TARGET torch PROPERTY INTERFACE_COMPILE_OPTIONS "")
endif()
# ns-3 links contrib libraries into targets of other folders (test-runner,
# scratch programs), which must see the imported targets too.
get_property(imported DIRECTORY PROPERTY IMPORTED_TARGETS) # CMake 3.21+
set_target_properties(${imported} PROPERTIES IMPORTED_GLOBAL TRUE)

# ns-3's macros expect paths relative to the module folder (build_lib writes the
# build/include/ns3/<name>.h stubs from them).
function(temponet_relative out)
  set(result)
  foreach(path ${ARGN})
    file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR} ${path})
    list(APPEND result ${rel})
  endforeach()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

# The module library is made of every TEMPONET_<PART>_SOURCES and _HEADERS list
# of ../CMakeLists.txt (TRACE, ENCODING, TORCH, NS3...) but those of the tests,
# the program and the benchmarks, so that a new part needs no change here.
set(sources)
set(headers)
get_directory_property(variables VARIABLES)
foreach(var ${variables})
  if(var MATCHES "^TEMPONET_([A-Z0-9]+)_(SOURCES|HEADERS)$")
    set(part ${CMAKE_MATCH_1})
    string(TOLOWER ${CMAKE_MATCH_2} kind)
    if(NOT part MATCHES "^(GTEST|CLI|BENCH)$")
      temponet_relative(files ${${var}})
      list(APPEND ${kind} ${files})
    endif()
  endif()
endforeach()
temponet_relative(test_sources ${TEMPONET_NS3_TEST_SOURCES})

build_lib(
  LIBNAME temponet
  SOURCE_FILES ${sources}
  HEADER_FILES ${headers}
  LIBRARIES_TO_LINK ${libcore} ${libnetwork} ${libinternet} ${libapplications}
                    ${libpoint-to-point} ${libcsma}
                    ${TORCH_LIBRARIES} PkgConfig::PCAP ZLIB::ZLIB nlohmann_json::nlohmann_json
  TEST_SOURCES ${test_sources}
)

# Our headers include each other by bare name across the model/ subfolders, so
# the library and everything using it (tests, programs, scratch/) need these
# folders. Not with include_directories(): ns-3 would export them as they are.
# build_lib compiles in an object library and links only the shared one: give
# the objects the include folders and flags of the other libraries too.
target_include_directories(${libtemponet-obj} PRIVATE ${TEMPONET_INCLUDE_DIRS})
target_link_libraries(${libtemponet-obj} PRIVATE torch PkgConfig::PCAP ZLIB::ZLIB
                                                   nlohmann_json::nlohmann_json)
foreach(dir ${TEMPONET_INCLUDE_DIRS})
  target_include_directories(${libtemponet} INTERFACE $<BUILD_INTERFACE:${dir}>)
endforeach()

# Where the shared real traces live; test suites skip when absent.
get_filename_component(temponet_real_dir ${TEMPONET_SOURCE_DIR} REALPATH)
set(TEMPONET_DATA_DIR "${temponet_real_dir}/../shared/data"
    CACHE PATH "Folder of the shared real traces")
if(TARGET ${testtemponet})
  # Test topologies use these (build_lib links the test library without keywords).
  target_link_libraries(${testtemponet} ${libpoint-to-point} ${libcsma} ${libflow-monitor})
  target_include_directories(${testtemponet} PRIVATE ${TEMPONET_SOURCE_DIR}/test)
  target_compile_definitions(${testtemponet}
                             PRIVATE TEMPONET_DATA_DIR="${TEMPONET_DATA_DIR}")
endif()

file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})

# The command line program: build/contrib/temponet/ns3.NN-temponet-<profile>,
# run with `./ns3 run "temponet --help"`.
temponet_relative(cli_sources ${TEMPONET_CLI_SOURCES})
build_exec(
  EXECNAME temponet
  SOURCE_FILES ${cli_sources}
  LIBRARIES_TO_LINK ${libtemponet} Boost::program_options nlohmann_json::nlohmann_json
  EXECUTABLE_DIRECTORY_PATH ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/${folder}/
  INSTALL_DIRECTORY_PATH ${CMAKE_INSTALL_BINDIR}
)
target_include_directories(temponet PRIVATE ${TEMPONET_SOURCE_DIR}/utils)

# Examples, as ns-3 builds its own modules' examples (skipped when a module they
# need is not enabled).
if(ENABLE_EXAMPLES)
  set(BLIB_LIBNAME temponet) # build_lib_example reads it from the caller
  file(GLOB examples CONFIGURE_DEPENDS ${TEMPONET_SOURCE_DIR}/examples/*.cc)
  foreach(example ${examples})
    get_filename_component(name ${example} NAME_WE)
    temponet_relative(example ${example})
    build_lib_example(
      NAME ${name}
      SOURCE_FILES ${example}
      LIBRARIES_TO_LINK ${libtemponet} ${libpoint-to-point} ${libcsma} ${libflow-monitor}
    )
  endforeach()
endif()
