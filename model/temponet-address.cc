/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-address.h"

#include "ns3/assert.h"

namespace ns3
{

Ipv4Address
ToIpv4Address(const temponet::IpAddr& a)
{
    NS_ASSERT_MSG(a.IsV4(), "not an IPv4 address: " << a.ToString());
    return Ipv4Address(a.V4());
}

Ipv6Address
ToIpv6Address(const temponet::IpAddr& a)
{
    NS_ASSERT_MSG(a.IsV6(), "not an IPv6 address: " << a.ToString());
    uint8_t bytes[16];
    for (size_t i = 0; i < 16; ++i)
    {
        bytes[i] = a.Bytes()[i];
    }
    return Ipv6Address(bytes);
}

temponet::IpAddr
FromIpv4Address(const Ipv4Address& a)
{
    return temponet::IpAddr::FromV4(a.Get());
}

temponet::IpAddr
FromIpv6Address(const Ipv6Address& a)
{
    uint8_t bytes[16];
    a.GetBytes(bytes);
    return temponet::IpAddr::FromV6(bytes);
}

} // namespace ns3
