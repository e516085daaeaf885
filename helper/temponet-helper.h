/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_HELPER_H
#define TEMPONET_HELPER_H

#include "temponet-event-table.h"
#include "temponet-generator.h"
#include "temponet-ip-addr.h"

#include "ns3/application-container.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

namespace temponet
{
class TempoNetModel;
} // namespace temponet

/**
 * \ingroup temponet
 * \brief Installs TempoNet traffic on a set of nodes: one TempoNetApplication
 * per node, one TempoNetGenerator for them all, the model loaded once.
 *
 * Model hosts are mapped onto nodes by a policy:
 * - ByAddress (default): the node that owns the model host's IPv4 address;
 * - RoundRobin: model hosts, in the model's host order, onto the nodes in turn;
 * - BySubnet: onto the nodes whose first address shares the host's /N prefix
 *   (N = 24 by default), in turn;
 * and Map(address, node) fixes a host's node before any policy. A host that
 * no rule maps goes to the gateway node when one is set (SetGateway), else its
 * events are dropped and counted. Sampled addresses become the mapped nodes'
 * own (first) IPv4 addresses: the generator's \c Event trace carries the
 * model's addresses, the applications' \c Tx and \c Rx the simulated ones.
 *
 * \code
 *   TempoNetHelper tempo("models/4sics-default.tpn");
 *   ApplicationContainer apps = tempo.Install(hosts);
 *   tempo.AssignStreams(0);
 *   apps.Start(Seconds(1));
 *   apps.Stop(Seconds(61));
 * \endcode
 */
class TempoNetHelper
{
  public:
    /// How model hosts are mapped onto nodes.
    enum class Mapping
    {
        ByAddress,  //!< The node that owns the host's address.
        RoundRobin, //!< The nodes in turn.
        BySubnet,   //!< The nodes of the host's subnet in turn.
    };

    /**
     * Loads \p modelFile once.
     * \throws std::runtime_error (temponet::ModelFileError) naming the file when
     * it is missing, truncated, corrupt or not a model.
     */
    explicit TempoNetHelper(const std::string& modelFile);

    /// Uses an already loaded model (shared with other helpers).
    explicit TempoNetHelper(std::shared_ptr<const temponet::TempoNetModel> model);

    /**
     * Runs another sampler (a baseline: PoissonMarginalSampler, ReplaySampler)
     * in the same way, side by side with a model. Set the generator's
     * \c StartTime: a baseline has no training end.
     * \param sampler the sampler.
     * \param hosts every address the sampler can produce (e.g. the hosts of its
     * training trace).
     */
    TempoNetHelper(std::unique_ptr<temponet::Sampler> sampler,
                   const std::vector<temponet::IpAddr>& hosts);

    ~TempoNetHelper();

    /// Sets an attribute of every TempoNetApplication installed.
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /// Sets an attribute of the TempoNetGenerator (StartTime, RateScale, ...).
    void SetGeneratorAttribute(const std::string& name, const AttributeValue& value);

    /// Sets the mapping policy; \p prefix is the subnet length of BySubnet.
    void SetMapping(Mapping policy, unsigned prefix = 24);

    /// Maps model host \p host onto \p node, before any policy.
    void Map(Ipv4Address host, Ptr<Node> node);

    /**
     * Sends unmapped hosts' events from, or to, \p gateway (null: drop them).
     * The gateway gets an application too if it is not among the nodes.
     */
    void SetGateway(Ptr<Node> gateway);

    /**
     * Installs an application on every node of \p nodes (and the gateway) and
     * maps the model's hosts onto them. Once per helper.
     * \return the applications (nodes' first, then the gateway's).
     */
    ApplicationContainer Install(NodeContainer nodes);

    /**
     * Fixes the random variable streams used, starting at \p stream.
     * \return the number of streams used.
     */
    int64_t AssignStreams(int64_t stream);

    /// \return the generator (null before Install).
    Ptr<TempoNetGenerator> GetGenerator() const
    {
        return m_generator;
    }

    /// \return the model's hosts (every address the model can sample).
    const std::vector<temponet::IpAddr>& GetModelHosts() const;

    /// Where a model host went.
    struct Endpoint
    {
        Ptr<Node> node;      //!< The node.
        Ipv4Address address; //!< The simulated address.
    };

    /// \return model host to node and simulated address, for the mapped hosts (after Install).
    const std::map<temponet::IpAddr, Endpoint>& GetMapping() const
    {
        return m_mapping;
    }

    /// \return the number of model hosts that no rule mapped (after Install).
    size_t GetUnmappedHostCount() const
    {
        return m_unmapped;
    }

    /// \return counts by reason of what was skipped, dropped or left to the stack, summed
    /// over the generator and the applications.
    std::map<std::string, uint64_t> GetCounts() const;

  private:
    std::shared_ptr<const temponet::TempoNetModel> m_model; //!< The shared model, or null.
    std::unique_ptr<temponet::Sampler> m_sampler;           //!< A baseline, or null.
    std::vector<temponet::IpAddr> m_hosts;                  //!< Addresses the sampler draws.
    ObjectFactory m_appFactory;                             //!< Application attributes.
    ObjectFactory m_generatorFactory;                       //!< Generator attributes.
    Mapping m_policy{Mapping::ByAddress};                   //!< Mapping policy.
    unsigned m_prefix{24};                                  //!< BySubnet prefix length.
    std::map<temponet::IpAddr, Ptr<Node>> m_explicit;       //!< Map() entries.
    Ptr<Node> m_gateway;                                    //!< Gateway node, or null.
    Ptr<TempoNetGenerator> m_generator;                     //!< After Install.
    ApplicationContainer m_apps;                            //!< After Install.
    std::map<temponet::IpAddr, Endpoint> m_mapping;         //!< After Install.
    size_t m_unmapped{0};                                   //!< After Install.
};

/**
 * \ingroup temponet
 * \brief Keeps every event a generator samples (its \c Event trace), to
 * write them as a trace file (canonical CSV or pcap) after the run.
 */
class TempoNetEventLog
{
  public:
    /// Starts recording \p generator's events.
    explicit TempoNetEventLog(Ptr<TempoNetGenerator> generator);

    /// \return the events so far, in time order.
    const temponet::EventTable& GetEvents() const
    {
        return m_events;
    }

    /**
     * Writes the events to \p path (.csv: canonical CSV, .pcap), atomically.
     * \throws std::runtime_error naming the file when it cannot be written.
     */
    void Write(const std::string& path) const;

  private:
    /// Appends \p e.
    void Record(const temponet::TraceEvent& e);

    temponet::EventTable m_events; //!< The events.
};

/// \return \p node's first IPv4 address that is not a loopback one (0.0.0.0 if none).
Ipv4Address TempoNetNodeAddress(Ptr<Node> node);

} // namespace ns3

#endif /* TEMPONET_HELPER_H */
