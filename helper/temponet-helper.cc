/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-helper.h"

#include "temponet-address.h"
#include "temponet-model.h"
#include "temponet-sampler.h"
#include "temponet-trace-writer.h"

#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TempoNetHelper");

Ipv4Address
TempoNetNodeAddress(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    if (!ipv4)
    {
        return Ipv4Address::GetAny();
    }
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        for (uint32_t j = 0; j < ipv4->GetNAddresses(i); ++j)
        {
            const Ipv4Address a = ipv4->GetAddress(i, j).GetLocal();
            if (!a.IsLocalhost())
            {
                return a;
            }
        }
    }
    return Ipv4Address::GetAny();
}

TempoNetHelper::TempoNetHelper(const std::string& modelFile)
    : TempoNetHelper(
          std::make_shared<const temponet::TempoNetModel>(temponet::TempoNetModel::Load(modelFile)))
{
}

TempoNetHelper::TempoNetHelper(std::shared_ptr<const temponet::TempoNetModel> model)
    : m_model(std::move(model)),
      m_hosts(m_model->GetEncoding().Hosts())
{
    m_appFactory.SetTypeId(TempoNetApplication::GetTypeId());
    m_generatorFactory.SetTypeId(TempoNetGenerator::GetTypeId());
}

TempoNetHelper::TempoNetHelper(std::unique_ptr<temponet::Sampler> sampler,
                               const std::vector<temponet::IpAddr>& hosts)
    : m_sampler(std::move(sampler)),
      m_hosts(hosts)
{
    m_appFactory.SetTypeId(TempoNetApplication::GetTypeId());
    m_generatorFactory.SetTypeId(TempoNetGenerator::GetTypeId());
}

TempoNetHelper::~TempoNetHelper() = default;

void
TempoNetHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_appFactory.Set(name, value);
}

void
TempoNetHelper::SetGeneratorAttribute(const std::string& name, const AttributeValue& value)
{
    m_generatorFactory.Set(name, value);
}

void
TempoNetHelper::SetMapping(Mapping policy, unsigned prefix)
{
    NS_ABORT_MSG_IF(prefix > 32, "TempoNetHelper: subnet prefix " << prefix << " is over 32");
    m_policy = policy;
    m_prefix = prefix;
}

void
TempoNetHelper::Map(Ipv4Address host, Ptr<Node> node)
{
    m_explicit[FromIpv4Address(host)] = node;
}

void
TempoNetHelper::SetGateway(Ptr<Node> gateway)
{
    m_gateway = gateway;
}

const std::vector<temponet::IpAddr>&
TempoNetHelper::GetModelHosts() const
{
    return m_hosts;
}

ApplicationContainer
TempoNetHelper::Install(NodeContainer nodes)
{
    NS_ABORT_MSG_IF(m_generator, "TempoNetHelper: Install is once per helper");
    m_generator = m_generatorFactory.Create<TempoNetGenerator>();
    if (m_model)
    {
        m_generator->SetModel(m_model);
    }
    else
    {
        m_generator->SetSampler(std::move(m_sampler));
    }

    std::map<Ptr<Node>, Ptr<TempoNetApplication>> apps;
    auto appOf = [&](Ptr<Node> node) {
        auto it = apps.find(node);
        if (it == apps.end())
        {
            Ptr<TempoNetApplication> app = m_appFactory.Create<TempoNetApplication>();
            node->AddApplication(app);
            m_apps.Add(app);
            it = apps.emplace(node, app).first;
        }
        return it->second;
    };
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        appOf(*it);
    }

    // Candidates of each policy.
    std::map<uint32_t, Ptr<Node>> byAddress;
    std::vector<Ptr<Node>> order;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        order.push_back(*it);
        Ptr<Ipv4> ipv4 = (*it)->GetObject<Ipv4>();
        NS_ABORT_MSG_UNLESS(ipv4,
                            "TempoNetHelper: node " << (*it)->GetId()
                                                    << " has no IPv4 stack: install the "
                                                       "internet stack and addresses first");
        for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
        {
            for (uint32_t j = 0; j < ipv4->GetNAddresses(i); ++j)
            {
                byAddress.emplace(ipv4->GetAddress(i, j).GetLocal().Get(), *it);
            }
        }
    }
    const uint32_t mask = m_prefix == 0 ? 0 : ~uint32_t(0) << (32 - m_prefix);
    std::map<uint32_t, std::vector<Ptr<Node>>> bySubnet;
    for (const Ptr<Node>& n : order)
    {
        bySubnet[TempoNetNodeAddress(n).Get() & mask].push_back(n);
    }
    std::map<uint32_t, size_t> subnetTurn;
    size_t turn = 0;

    for (const temponet::IpAddr& host : GetModelHosts())
    {
        Ptr<Node> node;
        Ipv4Address address;
        const auto ex = m_explicit.find(host);
        if (ex != m_explicit.end())
        {
            node = ex->second;
        }
        else if (host.IsV4())
        {
            switch (m_policy)
            {
            case Mapping::ByAddress: {
                const auto it = byAddress.find(host.V4());
                if (it != byAddress.end())
                {
                    node = it->second;
                    address = ToIpv4Address(host);
                }
                break;
            }
            case Mapping::RoundRobin:
                if (!order.empty())
                {
                    node = order[turn++ % order.size()];
                }
                break;
            case Mapping::BySubnet: {
                const auto it = bySubnet.find(host.V4() & mask);
                if (it != bySubnet.end())
                {
                    node = it->second[subnetTurn[it->first]++ % it->second.size()];
                }
                break;
            }
            }
        }
        if (!node)
        {
            ++m_unmapped;
            continue;
        }
        if (address == Ipv4Address())
        {
            address = TempoNetNodeAddress(node);
        }
        m_generator->AddHost(host, appOf(node), address);
        m_mapping[host] = Endpoint{node, address};
    }
    if (m_gateway)
    {
        m_generator->SetGateway(appOf(m_gateway), TempoNetNodeAddress(m_gateway));
    }
    NS_LOG_INFO("TempoNet: " << m_mapping.size() << " model hosts mapped onto " << nodes.GetN()
                             << " nodes, " << m_unmapped << " unmapped ("
                             << (m_gateway ? "to the gateway" : "dropped") << ")");
    return m_apps;
}

int64_t
TempoNetHelper::AssignStreams(int64_t stream)
{
    NS_ABORT_MSG_UNLESS(m_generator, "TempoNetHelper: AssignStreams after Install");
    return m_generator->AssignStreams(stream);
}

std::map<std::string, uint64_t>
TempoNetHelper::GetCounts() const
{
    std::map<std::string, uint64_t> counts;
    if (m_generator)
    {
        counts = m_generator->GetCounts();
    }
    for (auto it = m_apps.Begin(); it != m_apps.End(); ++it)
    {
        for (const auto& [reason, n] : DynamicCast<TempoNetApplication>(*it)->GetCounts())
        {
            counts[reason] += n;
        }
    }
    return counts;
}

TempoNetEventLog::TempoNetEventLog(Ptr<TempoNetGenerator> generator)
{
    NS_ABORT_MSG_UNLESS(generator, "TempoNetEventLog: no generator (call Install first)");
    m_events.SetKind(generator->GetSampler().Kind());
    generator->TraceConnectWithoutContext("Event", MakeCallback(&TempoNetEventLog::Record, this));
}

void
TempoNetEventLog::Record(const temponet::TraceEvent& e)
{
    m_events.Append(e);
}

void
TempoNetEventLog::Write(const std::string& path) const
{
    temponet::WriteTrace(m_events, path);
}

} // namespace ns3
