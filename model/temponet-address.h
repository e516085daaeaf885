/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_ADDRESS_H
#define TEMPONET_ADDRESS_H

#include "temponet-ip-addr.h"

#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"

namespace ns3
{

/**
 * \ingroup temponet
 * \brief Conversions between trace addresses and ns-3's address classes.
 * @{
 */

/// \return \p a as an ns-3 IPv4 address (\p a must be IPv4).
Ipv4Address ToIpv4Address(const temponet::IpAddr& a);

/// \return \p a as an ns-3 IPv6 address (\p a must be IPv6).
Ipv6Address ToIpv6Address(const temponet::IpAddr& a);

/// \return the trace address of \p a.
temponet::IpAddr FromIpv4Address(const Ipv4Address& a);

/// \return the trace address of \p a.
temponet::IpAddr FromIpv6Address(const Ipv6Address& a);

/** @} */

} // namespace ns3

#endif /* TEMPONET_ADDRESS_H */
