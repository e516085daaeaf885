/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The `temponet` command line program: traces, training and models.
#include "temponet-cli.h"

#include <cstring>
#include <iostream>

using namespace ns3::temponet;

namespace
{

const cli::Command kCommands[] = {
    {"inspect",
     "summarise a trace: records, skips, span, hosts, protocols, resolution",
     cli::RunInspect},
    {"convert",
     "convert a trace to canonical CSV or pcap, optionally a time window",
     cli::RunConvert},
    {"split", "split a trace by time into a training and a test part", cli::RunSplit},
    {"train", "train a TempoNet model on a trace", cli::RunTrain},
    {"info", "describe a model file", cli::RunInfo},
    {"nll", "score a held-out trace: TempoNet and both baselines, per head", cli::RunNll},
    {"generate",
     "generate traffic from a model or a baseline to canonical CSV or pcap",
     cli::RunGenerate},
    {"eval",
     "score a synthetic trace against a real one: distances, table, JSON, figures",
     cli::RunEval},
};

void
PrintUsage(std::ostream& os)
{
    os << "usage: temponet <command> [options]\n\ncommands:\n";
    for (const auto& c : kCommands)
    {
        os << "  " << c.name << std::string(10 - std::strlen(c.name), ' ') << c.summary << "\n";
    }
    os << "\n'temponet <command> --help' describes a command.\n";
}

} // namespace

int
main(int argc, char** argv)
{
    if (argc < 2)
    {
        PrintUsage(std::cerr);
        return 2;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help")
    {
        PrintUsage(std::cout);
        return 0;
    }
    for (const auto& c : kCommands)
    {
        if (name == c.name)
        {
            try
            {
                return c.run(argc - 1, argv + 1);
            }
            catch (const cli::UsageError& e)
            {
                std::cerr << "temponet " << name << ": " << e.what() << "\n";
                return 2;
            }
            catch (const std::exception& e)
            {
                std::cerr << "temponet " << name << ": error: " << e.what() << "\n";
                return 1;
            }
        }
    }
    std::cerr << "temponet: unknown command '" << name << "'\n";
    PrintUsage(std::cerr);
    return 2;
}
