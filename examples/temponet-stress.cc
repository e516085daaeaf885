/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Stress a bottleneck with learned traffic: the same model at growing rate
// scales, each run on a fresh network whose LANs and uplink are slow, and the
// queueing delay and loss FlowMonitor measures against the offered load.
//
//   ./build/bin/temponet-stress --scales=1,4,16,64 --duration=60 --lanRate=2Mbps
#include "temponet-helper.h"
#include "temponet-topology-helper.h"

#include "ns3/core-module.h"
#include "ns3/flow-monitor-helper.h"

#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;

namespace
{

/// One run's measurements.
struct Load
{
    uint64_t events{0};   //!< Events sampled.
    double offered{0};    //!< Offered IP load, Mb/s.
    double delivered{0};  //!< Delivered IP load, Mb/s.
    double lossShare{0};  //!< Lost packets / sent packets.
    double meanDelay{0};  //!< Mean one-way delay of received packets, ms.
};

/// Runs the model at \p scale for \p duration seconds.
Load
RunAt(const std::string& model,
      double scale,
      double duration,
      const std::string& lanRate,
      const std::string& uplinkRate)
{
    TempoNetHelper tempo(model);
    tempo.SetGeneratorAttribute("RateScale", DoubleValue(scale));
    TempoNetTopologyHelper net;
    net.SetLan(lanRate, "50us");
    net.SetUplink(uplinkRate, "5ms");
    net.Build(tempo.GetModelHosts());
    tempo.SetGateway(net.GetInternetRouter());
    ApplicationContainer apps = tempo.Install(net.GetHosts());
    net.AssignStreams(tempo.AssignStreams(0));
    apps.Start(Seconds(0));
    apps.Stop(Seconds(duration));
    FlowMonitorHelper flowHelper;
    Ptr<FlowMonitor> monitor = flowHelper.InstallAll();
    Simulator::Stop(Seconds(duration + 10));
    Simulator::Run();
    monitor->CheckForLostPackets();
    Load load;
    load.events = tempo.GetGenerator()->GetEventCount();
    uint64_t tx = 0;
    uint64_t rx = 0;
    uint64_t lost = 0;
    double delay = 0;
    for (const auto& [id, s] : monitor->GetFlowStats())
    {
        tx += s.txPackets;
        rx += s.rxPackets;
        lost += s.lostPackets;
        delay += s.delaySum.GetSeconds();
        load.offered += s.txBytes * 8.0 / duration / 1e6;
        load.delivered += s.rxBytes * 8.0 / duration / 1e6;
    }
    load.lossShare = tx ? double(lost) / tx : 0;
    load.meanDelay = rx ? delay / rx * 1e3 : 0;
    Simulator::Destroy();
    return load;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string model = TEMPONET_MODELS_DIR "/4sics-default.tpn";
    std::string scales = "1,4,16,64";
    double duration = 60;
    std::string lanRate = "2Mbps";
    std::string uplinkRate = "1Mbps";
    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "TempoNet model file (.tpn)", model);
    cmd.AddValue("scales", "rate scales to sweep, comma-separated", scales);
    cmd.AddValue("duration", "simulated seconds per run", duration);
    cmd.AddValue("lanRate", "LAN data rate (the bottleneck of internal traffic)", lanRate);
    cmd.AddValue("uplinkRate", "uplink data rate", uplinkRate);
    cmd.Parse(argc, argv);

    std::cout << "rate scale | events | offered Mb/s | delivered Mb/s | loss % | mean delay ms\n";
    std::istringstream list(scales);
    for (std::string item; std::getline(list, item, ',');)
    {
        const double scale = std::stod(item);
        const Load l = RunAt(model, scale, duration, lanRate, uplinkRate);
        std::cout << std::fixed << std::setprecision(3) << std::setw(10) << scale << " | "
                  << std::setw(6) << l.events << " | " << std::setw(12) << l.offered << " | "
                  << std::setw(14) << l.delivered << " | " << std::setw(6) << 100 * l.lossShare
                  << " | " << std::setw(13) << l.meanDelay << "\n";
    }
    return 0;
}
