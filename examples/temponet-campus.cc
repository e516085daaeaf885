/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// A campus from a trace: the model's internal hosts on LANs behind a site
// router, external hosts behind an Internet router, one uplink between them.
// Writes the uplink pcap, the sampled events (canonical CSV) and a
// FlowMonitor summary; prints what the applications skipped and why.
//
//   ./build/bin/temponet-campus --model=FILE --duration=300 --rateScale=1
//       --RngRun=1 --out=out/campus
#include "temponet-application.h"
#include "temponet-helper.h"
#include "temponet-topology-helper.h"

#include "ns3/core-module.h"
#include "ns3/flow-monitor-helper.h"
#include "ns3/ipv4-flow-classifier.h"
#include "ns3/point-to-point-helper.h"

#include <filesystem>
#include <fstream>
#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string model = TEMPONET_MODELS_DIR "/4sics-default.tpn";
    double duration = 300;
    double rateScale = 1;
    std::string start;
    std::string prime;
    std::string out = "out/campus";
    uint32_t maxExternal = 64;
    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "TempoNet model file (.tpn)", model);
    cmd.AddValue("duration", "simulated seconds of traffic", duration);
    cmd.AddValue("rateScale", "multiply the model's event rate", rateScale);
    cmd.AddValue("start", "calendar start (ISO 8601; default: end of the training data)", start);
    cmd.AddValue("prime", "real trace whose tail warms the model's history (default: none)", prime);
    cmd.AddValue("maxExternal", "most external hosts that get a node", maxExternal);
    cmd.AddValue("out", "output folder", out);
    cmd.Parse(argc, argv);
    std::filesystem::create_directories(out);

    TempoNetHelper tempo(model);
    tempo.SetGeneratorAttribute("RateScale", DoubleValue(rateScale));
    tempo.SetGeneratorAttribute("StartTime", StringValue(start));
    tempo.SetGeneratorAttribute("PrimeFile", StringValue(prime));
    TempoNetTopologyHelper net;
    net.SetMaxExternalHosts(maxExternal);
    net.Build(tempo.GetModelHosts());
    tempo.SetGateway(net.GetInternetRouter());
    ApplicationContainer apps = tempo.Install(net.GetHosts());
    const int64_t streams = tempo.AssignStreams(0);
    net.AssignStreams(streams);
    apps.Start(Seconds(0));
    apps.Stop(Seconds(duration));
    TempoNetEventLog events(tempo.GetGenerator());

    PointToPointHelper p2p;
    p2p.EnablePcap(out + "/uplink.pcap", net.GetUplinkDevices().Get(0), false, true);
    FlowMonitorHelper flowHelper;
    Ptr<FlowMonitor> monitor = flowHelper.InstallAll();

    Simulator::Stop(Seconds(duration + 5));
    Simulator::Run();

    monitor->CheckForLostPackets();
    uint64_t txPackets = 0;
    uint64_t rxPackets = 0;
    uint64_t lost = 0;
    double delaySum = 0;
    const auto stats = monitor->GetFlowStats();
    for (const auto& [id, s] : stats)
    {
        txPackets += s.txPackets;
        rxPackets += s.rxPackets;
        lost += s.lostPackets;
        delaySum += s.delaySum.GetSeconds();
    }
    monitor->SerializeToXmlFile(out + "/flowmon.xml", false, false);
    events.Write(out + "/events.csv");

    std::cout << "TempoNet campus: " << tempo.GetMapping().size() << " model hosts on "
              << net.GetHosts().GetN() << " nodes (" << net.GetInternalHosts().GetN()
              << " internal, " << net.GetExternalHosts().GetN() << " external, "
              << tempo.GetUnmappedHostCount() << " via the Internet router)\n";
    std::cout << "  events sampled:  " << tempo.GetGenerator()->GetEventCount() << " over "
              << duration << " s from " << tempo.GetGenerator()->GetCalendarStart() << " (UTC s)\n";
    uint64_t sent = 0;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        sent += DynamicCast<TempoNetApplication>(*it)->GetSentEvents();
    }
    std::cout << "  events sent:     " << sent << "\n";
    std::cout << "  flows (FlowMonitor): " << stats.size() << ", packets tx " << txPackets
              << ", rx " << rxPackets << ", lost " << lost << ", mean delay "
              << (rxPackets ? delaySum / rxPackets * 1e3 : 0.0) << " ms\n";
    for (const auto& [reason, n] : tempo.GetCounts())
    {
        std::cout << "  " << n << " x " << reason << "\n";
    }
    std::cout << "  wrote " << out << "/uplink.pcap, " << out << "/events.csv, " << out
              << "/flowmon.xml\n";
    Simulator::Destroy();
    return 0;
}
