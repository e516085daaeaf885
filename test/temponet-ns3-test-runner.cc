/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Runs TempoNet's ns-3 TestSuites through ns-3's own TestRunner
// (e.g. --suite=temponet-address, --list, --verbose).
#include "ns3/test.h"

int
main(int argc, char** argv)
{
    return ns3::TestRunner::Run(argc, argv);
}
