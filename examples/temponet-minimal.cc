/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The smallest TempoNet scenario: a network built from the model's hosts,
// five simulated minutes of learned traffic through the hosts' own stacks.
//
//   ./build/bin/temponet-minimal [--model=FILE] [--RngRun=N]
#include "temponet-helper.h"
#include "temponet-topology-helper.h"

#include "ns3/core-module.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string model = TEMPONET_MODELS_DIR "/4sics-default.tpn";
    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "TempoNet model file (.tpn)", model);
    cmd.Parse(argc, argv);

    TempoNetHelper tempo(model); // loads the model once
    TempoNetTopologyHelper net;  // a LAN per /24, routers, uplink
    net.Build(tempo.GetModelHosts());
    tempo.SetGateway(net.GetInternetRouter()); // hosts without a node
    ApplicationContainer apps = tempo.Install(net.GetHosts());
    tempo.AssignStreams(0);
    apps.Start(Seconds(0));
    apps.Stop(Minutes(5));

    Simulator::Run();
    std::cout << tempo.GetGenerator()->GetEventCount() << " events sampled\n";
    Simulator::Destroy();
    return 0;
}
