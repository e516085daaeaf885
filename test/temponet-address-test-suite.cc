/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-address.h"

#include "ns3/test.h"

using namespace ns3;

/**
 * \ingroup temponet-tests
 * Checks that trace addresses map to ns-3 addresses and back unchanged.
 */
class TempoNetAddressTestCase : public TestCase
{
  public:
    TempoNetAddressTestCase()
        : TestCase("IPv4 and IPv6 trace addresses round-trip through ns-3 addresses")
    {
    }

  private:
    void DoRun() override
    {
        auto v4 = temponet::IpAddr::Parse("172.16.112.50");
        NS_TEST_ASSERT_MSG_EQ(v4.has_value(), true, "IPv4 text must parse");
        Ipv4Address n4 = ToIpv4Address(*v4);
        NS_TEST_ASSERT_MSG_EQ(n4, Ipv4Address("172.16.112.50"), "IPv4 conversion");
        NS_TEST_ASSERT_MSG_EQ((FromIpv4Address(n4) == *v4), true, "IPv4 round trip");

        auto v6 = temponet::IpAddr::Parse("2001:db8::1:2");
        NS_TEST_ASSERT_MSG_EQ(v6.has_value(), true, "IPv6 text must parse");
        Ipv6Address n6 = ToIpv6Address(*v6);
        NS_TEST_ASSERT_MSG_EQ(n6, Ipv6Address("2001:db8::1:2"), "IPv6 conversion");
        NS_TEST_ASSERT_MSG_EQ((FromIpv6Address(n6) == *v6), true, "IPv6 round trip");
        NS_TEST_ASSERT_MSG_EQ(FromIpv6Address(n6).ToString(), "2001:db8::1:2", "IPv6 text");
    }
};

/**
 * \ingroup temponet-tests
 * The ns-3 side of TempoNet's address handling.
 */
class TempoNetAddressTestSuite : public TestSuite
{
  public:
    TempoNetAddressTestSuite()
        : TestSuite("temponet-address", UNIT)
    {
        AddTestCase(new TempoNetAddressTestCase, TestCase::QUICK);
    }
};

/// Registers the suite with ns-3's test runner.
static TempoNetAddressTestSuite g_tempoNetAddressTestSuite;
