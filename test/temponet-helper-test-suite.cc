/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// TempoNetHelper's host mapping policies and gateway, and the topology helper.
#include "temponet-application.h"
#include "temponet-test-network.h"
#include "temponet-topology-helper.h"

#include "ns3/test.h"

using namespace ns3;
using namespace ns3::temponet;
using namespace ns3::temponet::test;

namespace
{

/// The model hosts of the mapping tests, in the helper's host order.
EventTable
MappingTrace()
{
    EventTable t;
    const std::vector<std::string> hosts{"10.0.0.1",
                                         "10.0.0.2",
                                         "10.0.1.5",
                                         "10.0.1.6",
                                         "192.0.2.9",
                                         "2001:db8::1"};
    for (size_t k = 0; k < hosts.size(); ++k)
    {
        t.Append(PacketEvent(0.01 * k, hosts[k], hosts[(k + 1) % hosts.size()], 1000, 9, 17, 100));
    }
    return t;
}

/// \return the node a helper mapped \p host onto, or null.
Ptr<Node>
NodeOf(const TempoNetHelper& h, const std::string& host)
{
    const auto it = h.GetMapping().find(*IpAddr::Parse(host));
    return it == h.GetMapping().end() ? nullptr : it->second.node;
}

} // namespace

/**
 * \ingroup temponet-tests
 * Each mapping policy puts each model host where its rule says.
 */
class TempoNetMappingTestCase : public TestCase
{
  public:
    TempoNetMappingTestCase()
        : TestCase("mapping policies: by address, round robin, by subnet, explicit")
    {
    }

  private:
    void DoRun() override
    {
        const EventTable t = MappingTrace();
        // Nodes 10.0.0.1 (subnet A), 10.0.1.1 and 10.0.1.2 (subnet B).
        NodeContainer nodes = MakeLan({"10.0.0.1", "10.0.1.1", "10.0.1.2"});

        auto byAddress = ReplayHelper(t);
        byAddress->Install(nodes);
        NS_TEST_ASSERT_MSG_EQ(byAddress->GetMapping().size(), 1, "one host owns its address");
        NS_TEST_ASSERT_MSG_EQ(NodeOf(*byAddress, "10.0.0.1"), nodes.Get(0), "by address");
        NS_TEST_ASSERT_MSG_EQ(byAddress->GetUnmappedHostCount(), 5, "the rest are unmapped");

        auto roundRobin = ReplayHelper(t);
        roundRobin->SetMapping(TempoNetHelper::Mapping::RoundRobin);
        roundRobin->Install(nodes);
        const char* order[] = {"10.0.0.1", "10.0.0.2", "10.0.1.5", "10.0.1.6", "192.0.2.9"};
        for (size_t k = 0; k < 5; ++k)
        {
            NS_TEST_ASSERT_MSG_EQ(NodeOf(*roundRobin, order[k]),
                                  nodes.Get(k % 3),
                                  "round robin puts host " << order[k] << " on node " << k % 3);
        }
        NS_TEST_ASSERT_MSG_EQ(roundRobin->GetUnmappedHostCount(), 1, "IPv6 is not mapped");
        NS_TEST_ASSERT_MSG_EQ(roundRobin->GetMapping().at(*IpAddr::Parse("10.0.0.2")).address,
                              Ipv4Address("10.0.1.1"),
                              "a mapped host takes its node's address");

        auto bySubnet = ReplayHelper(t);
        bySubnet->SetMapping(TempoNetHelper::Mapping::BySubnet, 24);
        bySubnet->Install(nodes);
        NS_TEST_ASSERT_MSG_EQ(NodeOf(*bySubnet, "10.0.0.1"), nodes.Get(0), "subnet A");
        NS_TEST_ASSERT_MSG_EQ(NodeOf(*bySubnet, "10.0.0.2"), nodes.Get(0), "subnet A");
        NS_TEST_ASSERT_MSG_EQ(NodeOf(*bySubnet, "10.0.1.5"), nodes.Get(1), "subnet B, first");
        NS_TEST_ASSERT_MSG_EQ(NodeOf(*bySubnet, "10.0.1.6"), nodes.Get(2), "subnet B, second");
        NS_TEST_ASSERT_MSG_EQ(NodeOf(*bySubnet, "192.0.2.9"), Ptr<Node>(), "no node there");

        auto explicitMap = ReplayHelper(t);
        explicitMap->Map(Ipv4Address("192.0.2.9"), nodes.Get(2));
        explicitMap->Install(nodes);
        NS_TEST_ASSERT_MSG_EQ(NodeOf(*explicitMap, "192.0.2.9"), nodes.Get(2), "Map() first");
        NS_TEST_ASSERT_MSG_EQ(NodeOf(*explicitMap, "10.0.0.1"),
                              nodes.Get(0),
                              "the policy maps the rest");
        Simulator::Destroy();
    }
};

/**
 * \ingroup temponet-tests
 * Unmapped hosts' events go through the gateway when there is one, else
 * they are dropped and counted.
 */
class TempoNetGatewayTestCase : public TestCase
{
  public:
    TempoNetGatewayTestCase()
        : TestCase("unmapped hosts: through the gateway, or dropped and counted")
    {
    }

  private:
    void DoRun() override
    {
        EventTable t;
        // 10.0.0.1 and 10.0.0.2 have nodes; 198.51.100.7 has none.
        for (int k = 0; k < 30; ++k)
        {
            const char* a = k % 3 == 0 ? "198.51.100.7" : "10.0.0.1";
            t.Append(PacketEvent(0.01 * k, a, "10.0.0.2", 2000, 9, 17, 200));
        }
        for (bool gateway : {false, true})
        {
            NodeContainer nodes = MakeLan({"10.0.0.1", "10.0.0.2", "10.0.0.254"});
            auto h = ReplayHelper(t);
            if (gateway)
            {
                h->SetGateway(nodes.Get(2));
            }
            ApplicationContainer apps = h->Install(NodeContainer(nodes.Get(0), nodes.Get(1)));
            h->GetGenerator()->SetAttribute("MaxEvents", UintegerValue(t.Size()));
            apps.Start(Seconds(1));
            apps.Stop(Seconds(3));
            Simulator::Run();
            const uint64_t received =
                DynamicCast<TempoNetApplication>(apps.Get(1))->GetReceivedPackets();
            if (gateway)
            {
                NS_TEST_ASSERT_MSG_EQ(apps.GetN(), 3, "the gateway gets an application");
                NS_TEST_ASSERT_MSG_EQ(received, t.Size(), "every event arrives");
            }
            else
            {
                NS_TEST_ASSERT_MSG_EQ(h->GetCounts()["unmapped source: dropped"],
                                      10,
                                      "the unmapped host's events are counted");
                NS_TEST_ASSERT_MSG_EQ(received, 20, "the mapped host's events arrive");
            }
            Simulator::Destroy();
        }
    }
};

/**
 * \ingroup temponet-tests
 * The topology helper gives every model host a node with its own address,
 * routed: traffic between an internal and an external host crosses the uplink.
 */
class TempoNetTopologyTestCase : public TestCase
{
  public:
    TempoNetTopologyTestCase()
        : TestCase("topology from the model's hosts: own addresses, LANs, routed uplink")
    {
    }

  private:
    void DoRun() override
    {
        EventTable t;
        const std::vector<std::string> hosts{"192.168.1.10",
                                             "192.168.1.20",
                                             "192.168.2.5",
                                             "203.0.113.8",
                                             "198.51.100.3"};
        for (int k = 0; k < 50; ++k)
        {
            t.Append(PacketEvent(0.02 * k, hosts[k % 5], hosts[(k + 2) % 5], 3000, 9, 17, 500));
        }
        auto h = ReplayHelper(t);
        TempoNetTopologyHelper net;
        net.SetMaxExternalHosts(1);
        net.Build(h->GetModelHosts());
        NS_TEST_ASSERT_MSG_EQ(net.GetInternalHosts().GetN(), 3, "RFC 1918 hosts are internal");
        NS_TEST_ASSERT_MSG_EQ(net.GetExternalHosts().GetN(), 1, "one external host allowed");
        NS_TEST_ASSERT_MSG_EQ(net.GetExternalHostsLeftOut(), 1, "the other one is left out");
        h->SetGateway(net.GetInternetRouter());
        ApplicationContainer apps = h->Install(net.GetHosts());
        NS_TEST_ASSERT_MSG_EQ(h->GetMapping().size(), 4, "each host with a node is found");
        for (const auto& [host, end] : h->GetMapping())
        {
            NS_TEST_ASSERT_MSG_EQ(end.address, Ipv4Address(host.V4()), "own model address");
        }
        h->GetGenerator()->SetAttribute("MaxEvents", UintegerValue(t.Size()));
        apps.Start(Seconds(1));
        apps.Stop(Seconds(4));
        uint64_t tx = 0;
        uint64_t rx = 0;
        for (auto it = apps.Begin(); it != apps.End(); ++it)
        {
            (*it)->TraceConnectWithoutContext(
                "Tx",
                MakeCallback(+[](uint64_t* n, Ptr<const Packet>) { ++*n; }).Bind(&tx));
            (*it)->TraceConnectWithoutContext(
                "Rx",
                MakeCallback(+[](uint64_t* n, Ptr<const Packet>, const Address&) {
                    ++*n;
                }).Bind(&rx));
        }
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(tx, t.Size(), "every event is sent");
        NS_TEST_ASSERT_MSG_EQ(rx, tx, "and received, across LANs and the uplink");
        Simulator::Destroy();
    }
};

/**
 * \ingroup temponet-tests
 * TempoNetHelper and TempoNetTopologyHelper.
 */
class TempoNetHelperTestSuite : public TestSuite
{
  public:
    TempoNetHelperTestSuite()
        : TestSuite("temponet-helper", UNIT)
    {
        AddTestCase(new TempoNetMappingTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetGatewayTestCase, TestCase::QUICK);
        AddTestCase(new TempoNetTopologyTestCase, TestCase::QUICK);
    }
};

/// Registers the suite with ns-3's test runner.
static TempoNetHelperTestSuite g_tempoNetHelperTestSuite;
