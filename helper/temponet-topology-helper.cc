/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-topology-helper.h"

#include "temponet-generate.h"

#include "ns3/csma-helper.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/neighbor-cache-helper.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/string.h"

#include <map>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TempoNetTopologyHelper");

namespace
{

/// Adds \p device to \p node's IPv4 with \p address / \p prefix, up.
void
AddAddress(Ptr<Node> node, Ptr<NetDevice> device, uint32_t address, unsigned prefix)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    const int32_t i = ipv4->AddInterface(device);
    const uint32_t mask = prefix == 0 ? 0 : ~uint32_t(0) << (32 - prefix);
    ipv4->AddAddress(i, Ipv4InterfaceAddress(Ipv4Address(address), Ipv4Mask(mask)));
    ipv4->SetMetric(i, 1);
    ipv4->SetUp(i);
}

} // namespace

TempoNetTopologyHelper::TempoNetTopologyHelper()
    : m_internalCidrs("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16")
{
}

void
TempoNetTopologyHelper::SetInternalNetworks(const std::string& cidrs)
{
    temponet::ParseNetworks(cidrs); // throws std::invalid_argument on bad input
    m_internalCidrs = cidrs;
}

void
TempoNetTopologyHelper::SetLan(const std::string& dataRate, const std::string& delay)
{
    m_lanRate = dataRate;
    m_lanDelay = delay;
}

void
TempoNetTopologyHelper::SetUplink(const std::string& dataRate, const std::string& delay)
{
    m_upRate = dataRate;
    m_upDelay = delay;
}

void
TempoNetTopologyHelper::BuildLan(Ptr<Node> router,
                                 uint32_t subnet,
                                 const std::vector<uint32_t>& hosts,
                                 NodeContainer& into)
{
    NodeContainer lan;
    lan.Add(router);
    NodeContainer made;
    made.Create(hosts.size());
    lan.Add(made);
    InternetStackHelper stack;
    stack.Install(made);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue(m_lanRate));
    csma.SetChannelAttribute("Delay", StringValue(m_lanDelay));
    NetDeviceContainer devices = csma.Install(lan);
    m_lanDevices.Add(devices);
    // The router takes the highest free address of the /24.
    const std::set<uint32_t> used(hosts.begin(), hosts.end());
    uint32_t routerAddress = 0;
    for (uint32_t last = 254; last >= 1; --last)
    {
        if (!used.count(subnet | last))
        {
            routerAddress = subnet | last;
            break;
        }
    }
    NS_ABORT_MSG_UNLESS(routerAddress,
                        "TempoNetTopologyHelper: no free router address in " << Ipv4Address(subnet)
                                                                             << "/24");
    AddAddress(router, devices.Get(0), routerAddress, 24);
    for (size_t i = 0; i < hosts.size(); ++i)
    {
        AddAddress(made.Get(i), devices.Get(i + 1), hosts[i], 24);
    }
    into.Add(made);
}

void
TempoNetTopologyHelper::Build(const std::vector<temponet::IpAddr>& hosts)
{
    NS_ABORT_MSG_IF(m_siteRouter, "TempoNetTopologyHelper: Build is once per helper");
    const std::vector<temponet::IpNetwork> internal = temponet::ParseNetworks(m_internalCidrs);
    std::map<uint32_t, std::vector<uint32_t>> internalLans;
    std::map<uint32_t, std::vector<uint32_t>> externalLans;
    size_t externals = 0;
    for (const temponet::IpAddr& h : hosts)
    {
        if (!h.IsV4())
        {
            continue;
        }
        const uint32_t a = h.V4();
        const uint8_t last = a & 0xff;
        if (last == 0 || last == 255 || Ipv4Address(a).IsMulticast())
        {
            continue; // network, broadcast or multicast: not a host
        }
        bool isInternal = false;
        for (const auto& n : internal)
        {
            isInternal = isInternal || n.Contains(h);
        }
        if (isInternal)
        {
            internalLans[a & 0xffffff00].push_back(a);
        }
        else if (externals < m_maxExternal)
        {
            externalLans[a & 0xffffff00].push_back(a);
            ++externals;
        }
        else
        {
            ++m_externalLeftOut;
        }
    }

    m_siteRouter = CreateObject<Node>();
    m_internetRouter = CreateObject<Node>();
    InternetStackHelper stack;
    stack.Install(m_siteRouter);
    stack.Install(m_internetRouter);
    for (const auto& [subnet, members] : internalLans)
    {
        BuildLan(m_siteRouter, subnet, members, m_internal);
    }
    for (const auto& [subnet, members] : externalLans)
    {
        BuildLan(m_internetRouter, subnet, members, m_external);
    }
    m_hosts.Add(m_internal);
    m_hosts.Add(m_external);

    // The uplink takes a /30 of the benchmarking range that no host uses.
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(m_upRate));
    p2p.SetChannelAttribute("Delay", StringValue(m_upDelay));
    m_uplink = p2p.Install(m_siteRouter, m_internetRouter);
    uint32_t uplinkNet = Ipv4Address("198.18.0.0").Get();
    while (internalLans.count(uplinkNet & 0xffffff00) || externalLans.count(uplinkNet & 0xffffff00))
    {
        uplinkNet += 0x100;
    }
    AddAddress(m_siteRouter, m_uplink.Get(0), uplinkNet | 1, 30);
    AddAddress(m_internetRouter, m_uplink.Get(1), uplinkNet | 2, 30);

    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    NeighborCacheHelper neighbours;
    neighbours.PopulateNeighborCache();
    NS_LOG_INFO("TempoNet topology: " << m_internal.GetN() << " internal hosts on "
                                      << internalLans.size() << " LANs, " << m_external.GetN()
                                      << " external hosts on " << externalLans.size() << " LANs, "
                                      << m_externalLeftOut << " external hosts left out");
}

int64_t
TempoNetTopologyHelper::AssignStreams(int64_t stream)
{
    NS_ABORT_MSG_UNLESS(m_siteRouter, "TempoNetTopologyHelper: AssignStreams after Build");
    int64_t used = CsmaHelper().AssignStreams(m_lanDevices, stream);
    NodeContainer all(m_siteRouter, m_internetRouter);
    all.Add(m_hosts);
    used += InternetStackHelper().AssignStreams(all, stream + used);
    return used;
}

} // namespace ns3
