/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TOPOLOGY_HELPER_H
#define TEMPONET_TOPOLOGY_HELPER_H

#include "temponet-ip-addr.h"

#include "ns3/net-device-container.h"
#include "ns3/node-container.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup temponet
 * \brief Builds a ready IPv4 network for a model's hosts, so that a trace
 * becomes a simulation in a few lines.
 *
 * Every internal model host (in the internal networks: RFC 1918 by default)
 * gets a node with its own model address, on one CSMA LAN per /24 behind a
 * site router. External hosts (the first MaxExternalHosts of the given
 * order) get nodes on CSMA LANs per /24 behind an Internet router; the two
 * routers are joined by a point-to-point uplink. Routers take a free address
 * of each LAN (.254 downwards). Global routing tables and every neighbour
 * cache are filled, so traffic flows from the first instant. IPv6 hosts get
 * no node. TempoNetHelper's ByAddress mapping then finds every host; set the
 * Internet router as its gateway for the external hosts left out.
 */
class TempoNetTopologyHelper
{
  public:
    TempoNetTopologyHelper();

    /// Internal networks (CIDR, comma-separated); default the RFC 1918 ranges.
    void SetInternalNetworks(const std::string& cidrs);

    /// The most external hosts that get a node (default 64).
    void SetMaxExternalHosts(size_t n)
    {
        m_maxExternal = n;
    }

    /// LAN data rate and delay (default 1Gbps, 50us).
    void SetLan(const std::string& dataRate, const std::string& delay);

    /// Uplink data rate and delay (default 100Mbps, 5ms).
    void SetUplink(const std::string& dataRate, const std::string& delay);

    /// Builds the network for \p hosts (e.g. TempoNetHelper::GetModelHosts()).
    void Build(const std::vector<temponet::IpAddr>& hosts);

    /**
     * Fixes the random variable streams of the network's devices (CSMA
     * backoff) and internet stacks, starting at \p stream, so that runs in
     * one process repeat exactly (see ns-3's AssignStreams convention).
     * \return the number of streams used.
     */
    int64_t AssignStreams(int64_t stream);

    /// \return the host nodes, internal then external.
    const NodeContainer& GetHosts() const
    {
        return m_hosts;
    }

    /// \return the internal host nodes.
    const NodeContainer& GetInternalHosts() const
    {
        return m_internal;
    }

    /// \return the external host nodes.
    const NodeContainer& GetExternalHosts() const
    {
        return m_external;
    }

    /// \return the site router.
    Ptr<Node> GetSiteRouter() const
    {
        return m_siteRouter;
    }

    /// \return the Internet router (a gateway for external hosts without a node).
    Ptr<Node> GetInternetRouter() const
    {
        return m_internetRouter;
    }

    /// \return the uplink's two devices: site router's, then Internet router's.
    const NetDeviceContainer& GetUplinkDevices() const
    {
        return m_uplink;
    }

    /// \return the number of external hosts left without a node (over the maximum).
    size_t GetExternalHostsLeftOut() const
    {
        return m_externalLeftOut;
    }

  private:
    /// Builds one /24 LAN of \p hosts behind \p router.
    void BuildLan(Ptr<Node> router,
                  uint32_t subnet,
                  const std::vector<uint32_t>& hosts,
                  NodeContainer& into);

    std::string m_internalCidrs;     //!< Internal networks.
    size_t m_maxExternal{64};        //!< Most external host nodes.
    std::string m_lanRate{"1Gbps"};  //!< LAN data rate.
    std::string m_lanDelay{"50us"};  //!< LAN delay.
    std::string m_upRate{"100Mbps"}; //!< Uplink data rate.
    std::string m_upDelay{"5ms"};    //!< Uplink delay.
    NodeContainer m_hosts;           //!< All host nodes.
    NodeContainer m_internal;        //!< Internal host nodes.
    NodeContainer m_external;        //!< External host nodes.
    Ptr<Node> m_siteRouter;          //!< Site router.
    Ptr<Node> m_internetRouter;      //!< Internet router.
    NetDeviceContainer m_uplink;     //!< Uplink devices.
    NetDeviceContainer m_lanDevices; //!< Every LAN device.
    size_t m_externalLeftOut{0};     //!< External hosts without a node.
};

} // namespace ns3

#endif /* TEMPONET_TOPOLOGY_HELPER_H */
