# -*- Mode: python; py-indent-offset: 4; indent-tabs-mode: nil; coding: utf-8; -*-
# SPDX-License-Identifier: GPL-2.0-only
#
# TempoNet as a module of a waf-based ns-3 source tree (ns-3.35 and older),
# placed (copied or symlinked) at contrib/temponet:
#   ./waf configure --enable-tests --enable-modules=temponet [--with-libtorch=DIR]
#   ./waf build
# CMake-based trees (ns-3.36 and later) use CMakeLists.txt and
# cmake/in-tree.cmake instead. See doc/in-tree-build.md.
#
# The file lists are not repeated here: the glob patterns of CMakeLists.txt's
# file(GLOB TEMPONET_... ) lists are read and globbed with waf, with the same
# rule as cmake/in-tree.cmake: the module library is every
# TEMPONET_<PART>_SOURCES / _HEADERS list but GTEST, CLI and BENCH.

import os
import re

from waflib import Options

MODULE = 'temponet'
DEPENDENCIES = ['core', 'network', 'internet', 'applications', 'point-to-point', 'csma']
# Further modules the tests and examples use.
TEST_DEPENDENCIES = ['flow-monitor']
NOT_LIBRARY = ('GTEST', 'CLI', 'BENCH')


def options(opt):
    opt.add_option('--with-libtorch', dest='with_libtorch', default=None,
                   help=('LibTorch folder holding include/ and lib/ (default: the'
                         ' system one, e.g. Debian libtorch-dev)'))


def _check(conf, **kw):
    return conf.check_cxx(mandatory=False, **kw)


def configure(conf):
    env = conf.env
    prefix = Options.options.with_libtorch
    if prefix:
        prefix = os.path.abspath(os.path.expanduser(prefix))
        env.append_value('INCLUDES_TEMPONET_TORCH',
                         [os.path.join(prefix, 'include'),
                          os.path.join(prefix, 'include', 'torch', 'csrc', 'api', 'include')])
        env.append_value('LIBPATH_TEMPONET_TORCH', [os.path.join(prefix, 'lib')])
        env.append_value('RPATH_TEMPONET_TORCH', [os.path.join(prefix, 'lib')])
    else:
        env.append_value('INCLUDES_TEMPONET_TORCH', ['/usr/include/torch/csrc/api/include'])
    env.append_value('LIB_TEMPONET_TORCH', ['torch', 'torch_cpu', 'c10'])

    missing = []
    if not _check(conf, msg='Checking for C++17',
                  fragment=('#include <filesystem>\n#include <optional>\n'
                            'int main() { std::optional<std::filesystem::path> p; '
                            'return p.has_value(); }\n')):
        missing.append('C++17 (configure with --cxx-standard=-std=c++17)')
    if not _check(conf, msg='Checking for LibTorch', use='TEMPONET_TORCH',
                  fragment=('#include <c10/core/Device.h>\n'
                            'int main() { return c10::Device(c10::kCPU).is_cpu() ? 0 : 1; }\n')):
        missing.append('LibTorch (--with-libtorch)')
    if not _check(conf, header_name='pcap.h', lib='pcap', uselib_store='TEMPONET_PCAP'):
        missing.append('libpcap')
    if not _check(conf, header_name='zlib.h', lib='z', uselib_store='TEMPONET_ZLIB'):
        missing.append('zlib')
    if not _check(conf, header_name='nlohmann/json.hpp', uselib_store='TEMPONET_JSON'):
        missing.append('nlohmann_json')

    if missing:
        conf.report_optional_feature(MODULE, 'TempoNet', False, 'missing ' + ', '.join(missing))
        # ns-3's contrib/wscript then skips build() below.
        env.append_value('MODULES_NOT_BUILT', MODULE)
        return
    conf.report_optional_feature(MODULE, 'TempoNet', True, '')

    # The temponet program also needs Boost program_options.
    env['TEMPONET_CLI'] = bool(_check(conf, header_name='boost/program_options.hpp',
                                      lib='boost_program_options',
                                      uselib_store='TEMPONET_BOOST_PO'))
    conf.report_optional_feature('temponet-cli', 'TempoNet temponet program',
                                 env['TEMPONET_CLI'], 'needs Boost program_options')


def _cmake_globs(bld):
    """{list name: glob patterns relative to this folder} of CMakeLists.txt."""
    with open(os.path.join(bld.path.abspath(), 'CMakeLists.txt')) as f:
        text = f.read()
    globs = {}
    for name, args in re.findall(r'file\(GLOB\s+(TEMPONET_\w+)\s+([^)]*)\)', text):
        globs[name] = [arg.replace('${TEMPONET_SOURCE_DIR}/', '')
                       for arg in args.split() if arg != 'CONFIGURE_DEPENDS']
    return globs


def build(bld):
    globs = _cmake_globs(bld)

    def files(patterns):
        return sorted(node.path_from(bld.path) for node in bld.path.ant_glob(patterns))

    sources, headers = [], []
    for name, patterns in sorted(globs.items()):
        match = re.match(r'TEMPONET_([A-Z0-9]+)_(SOURCES|HEADERS)$', name)
        if match and match.group(1) not in NOT_LIBRARY:
            (sources if match.group(2) == 'SOURCES' else headers).extend(patterns)
    # Our headers include each other by bare name across these folders.
    include_dirs = sorted(set(os.path.dirname(pattern) for pattern in headers))

    module = bld.create_ns3_module(MODULE, DEPENDENCIES)
    module.source = files(sources)
    module.includes = include_dirs
    module.export_includes = include_dirs
    module.use.extend(['TEMPONET_TORCH', 'TEMPONET_PCAP', 'TEMPONET_ZLIB', 'TEMPONET_JSON'])

    # Public headers, copied flat to build/ns3/<name>.h.
    ns3headers = bld(features='ns3header')
    ns3headers.module = MODULE
    ns3headers.source = files(headers)

    # ns-3 TestSuites, run by test.py and test-runner.
    tests = bld.create_ns3_module_test_library(MODULE)
    tests.source = files(globs['TEMPONET_NS3_TEST_SOURCES'])
    tests.includes = ['test']
    tests.use.extend(['ns3-' + dep for dep in TEST_DEPENDENCIES])
    data_dir = os.path.join(os.path.realpath(bld.path.abspath()), os.pardir, 'shared', 'data')
    tests.defines = ['TEMPONET_DATA_DIR="%s"' % os.path.normpath(data_dir)]

    # The command line program: ./waf --run "temponet --help".
    if bld.env['TEMPONET_CLI']:
        cli = bld.create_ns3_program('temponet', [MODULE])
        cli.source = files(globs['TEMPONET_CLI_SOURCES'])
        # A new list: here use is the very list of ns3_module_dependencies.
        cli.use = cli.use + ['TEMPONET_BOOST_PO', 'TEMPONET_JSON']

    if bld.env['ENABLE_EXAMPLES']:
        for source in files(['examples/*.cc']):
            name = os.path.splitext(os.path.basename(source))[0]
            example = bld.create_ns3_program(name, [MODULE] + TEST_DEPENDENCIES)
            example.source = [source]
