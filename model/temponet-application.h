/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_APPLICATION_H
#define TEMPONET_APPLICATION_H

#include "temponet-trace-event.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>
#include <tuple>

namespace ns3
{

class TempoNetGenerator;
class TempoNetApplication;

/**
 * \ingroup temponet
 * \brief One sampled TCP connection, shared by the applications at its two
 * ends (the generator keeps the table of them).
 *
 * The client is the side whose event opened the connection (a SYN, or the
 * first packet of a connection already running when the model's history
 * starts); the server is the destination of that event.
 */
struct TempoNetTcpFlow : public SimpleRefCount<TempoNetTcpFlow>
{
    temponet::IpAddr modelClient;    //!< The client's model address.
    int32_t modelClientPort{-1};     //!< The client's sampled port.
    Ptr<TempoNetApplication> client; //!< The client's application.
    Ptr<TempoNetApplication> server; //!< The server's application.
    Ipv4Address clientAddress;       //!< The client's simulated address.
    Ipv4Address serverAddress;       //!< The server's simulated address.
    uint16_t clientPort{0};          //!< The client's bound port (0 until bound).
    uint16_t serverPort{0};          //!< The server's port.
    uint8_t clientTtl{64};           //!< TTL of the client's segments.
    uint8_t serverTtl{64};           //!< TTL of the server's segments.
    Ptr<Socket> clientSocket;        //!< The client's socket.
    Ptr<Socket> serverSocket;        //!< The server's accepted socket (null until accepted).
    uint32_t pendingServerBytes{0};  //!< Server bytes sampled before the accept.
    bool pendingServerClose{false};  //!< Server close sampled before the accept.
    bool clientClosed{false};        //!< The client's side was closed.
    bool serverClosed{false};        //!< The server's side was closed.
};

/**
 * \ingroup temponet
 * \return the application bytes a TCP packet event carries: size - 40 (IPv4
 * and TCP headers) when PSH is set or when that is more than TCP options can
 * fill (40 bytes), else 0 (an ACK, SYN or FIN with options only).
 */
uint32_t TempoNetTcpPayload(const temponet::TraceEvent& e);

/**
 * \ingroup temponet
 * \brief What the generator tells an application to do for one sampled
 * event: the event as the model sampled it, and its simulated endpoints.
 */
struct TempoNetOrder
{
    temponet::TraceEvent event;    //!< The sampled event (model addresses).
    Ipv4Address source;            //!< The simulated source address.
    Ipv4Address destination;       //!< The simulated destination address.
    Ptr<TempoNetApplication> peer; //!< The destination's application.
    Ptr<TempoNetTcpFlow> flow;     //!< TCP: the connection the event belongs to.
    bool fromClient{true};         //!< TCP: sent by the connection's client.
    bool opens{false};             //!< TCP: the event opens the connection.
};

/**
 * \ingroup temponet
 * \brief Sends, through its node's own stack, what a TempoNetGenerator
 * samples for the model hosts mapped to the node, and receives what other
 * hosts send to them.
 *
 * Packet models (one event per IP packet):
 * - UDP: a datagram of the sampled size (payload = size - 28 bytes of IPv4
 *   and UDP headers, never negative) from a socket bound to the sampled
 *   source port, with the sampled TTL.
 * - TCP: one connection per sampled flow. The opening event (SYN) connects
 *   from the sampled source port (an ephemeral port if that one is in use or
 *   below 1024, i.e. a server's port, counted); data-bearing events (PSH set, or more payload than
 * TCP options can fill) write size - 40 bytes into the flow's socket of the side that sends them;
 * FIN and RST close that side (ns-3 has no abort, so a RST closes too, counted); SYN-ACKs, pure
 * ACKs and option-only segments are left to the simulated stack and counted.
 * - ICMP: an echo request of the sampled size through a raw socket (the
 *   trace schema has no ICMP type); the destination stack's echo replies are
 *   counted apart from sampled traffic.
 * - Other IP protocols: a raw IPv4 packet of the sampled size, zero payload.
 *
 * Flow models (NetFlow, Zeek, Argus): a flow event opens a TCP connection,
 * or a UDP or ICMP stream, and sends the flow's bytes less 40 (TCP) or 28
 * (UDP, ICMP) header bytes per packet in \c packets chunks spread evenly
 * over its \c duration (a TCP connection sends max(1, packets / 2) writes:
 * the other half of the packets are the stack's own ACKs).
 *
 * Destinations listen on demand: the generator has the destination's
 * application bind a socket to the sampled port before the packet leaves.
 * Events sampled while the application is not running are dropped and
 * counted.
 */
class TempoNetApplication : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TempoNetApplication();
    ~TempoNetApplication() override;

    /// Sets the generator that gives this application its orders.
    void SetGenerator(Ptr<TempoNetGenerator> generator);

    /// Prepares the destination side of \p order (listens on its port).
    void Prepare(const TempoNetOrder& order);

    /// Carries out \p order (the source side), at the current time.
    void Execute(const TempoNetOrder& order);

    /// TCP: a flow whose server side connected later (called by the generator).
    void AttachServerSocket(Ptr<TempoNetTcpFlow> flow, Ptr<Socket> socket);

    /// \return whether the application is between StartApplication and StopApplication.
    bool IsRunning() const
    {
        return m_running;
    }

    /// \return counts by reason of what the application did not send as sampled.
    const std::map<std::string, uint64_t>& GetCounts() const
    {
        return m_counts;
    }

    /// \return the number of sampled events this application sent (each at most once).
    uint64_t GetSentEvents() const
    {
        return m_sentEvents;
    }

    /// \return bytes received by this application's sockets (payload).
    uint64_t GetReceivedBytes() const
    {
        return m_rxBytes;
    }

    /// \return packets received by this application's sockets.
    uint64_t GetReceivedPackets() const
    {
        return m_rxPackets;
    }

    /**
     * TracedCallback signature for an event as sampled.
     * \param event the event (model addresses).
     */
    typedef void (*EventTracedCallback)(const temponet::TraceEvent& event);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// \return the UDP socket bound to \p local : \p port (0: an ephemeral one), made on demand.
    Ptr<Socket> UdpSocket(Ipv4Address local, uint16_t port);
    /// \return the raw socket of IP protocol \p proto bound to \p local, made on demand.
    Ptr<Socket> RawSocket(Ipv4Address local, uint8_t proto);
    /// Has a TCP listener on \p local : \p port.
    void ListenTcp(Ipv4Address local, uint16_t port);

    /// Sends one UDP datagram.
    void SendUdp(const TempoNetOrder& order, uint32_t ipSize);
    /// Sends one raw IP packet (ICMP echo request or zero payload).
    void SendRaw(const TempoNetOrder& order, uint32_t ipSize);
    /// Handles a TCP packet event.
    void HandleTcp(const TempoNetOrder& order);
    /// Opens \p order's connection from this node (the client).
    void OpenTcp(const TempoNetOrder& order);
    /// Writes \p bytes into \p socket.
    void WriteTcp(Ptr<Socket> socket, uint32_t bytes);
    /// Starts a flow record's transfer.
    void StartFlowRecord(const TempoNetOrder& order);
    /// Sends chunk \p k of \p chunks of a flow record.
    void SendFlowChunk(TempoNetOrder order, uint32_t k, uint32_t chunks, uint32_t bytes);

    /// Reads everything \p socket has received.
    void HandleRead(Ptr<Socket> socket);
    /// Accepts a TCP connection on a listener.
    void HandleAccept(Ptr<Socket> socket, const Address& from);
    /// A TCP connection ended (normally or by error).
    void HandleClose(Ptr<Socket> socket);

    /// Increments counter \p reason.
    void Count(const std::string& reason)
    {
        ++m_counts[reason];
    }

    Ptr<TempoNetGenerator> m_generator; //!< Source of orders and TCP flows.
    bool m_running{false};              //!< Between start and stop.
    uint32_t m_tcpSegmentSize{1448};    //!< TCP segment size of new sockets.
    /// UDP sockets by bound address and port.
    std::map<std::pair<uint32_t, uint16_t>, Ptr<Socket>> m_udp;
    /// Raw sockets by bound address and IP protocol.
    std::map<std::pair<uint32_t, uint8_t>, Ptr<Socket>> m_raw;
    /// TCP listeners by bound address and port.
    std::map<std::pair<uint32_t, uint16_t>, Ptr<Socket>> m_listeners;
    std::map<Ptr<Socket>, uint64_t> m_tcp;    //!< Open TCP sockets, with their creation order.
    uint64_t m_tcpMade{0};                    //!< TCP sockets made so far.
    std::map<std::string, uint64_t> m_counts; //!< What was not sent as sampled, by reason.
    uint64_t m_sentEvents{0};                 //!< Events sent.
    uint64_t m_rxBytes{0};                    //!< Payload bytes received.
    uint64_t m_rxPackets{0};                  //!< Packets received.
    uint16_t m_icmpSequence{0};               //!< Next ICMP echo sequence number.
    std::map<uint64_t, EventId> m_pending;    //!< Scheduled flow-record chunks.
    uint64_t m_nextPending{0};                //!< Key of the next pending chunk.

    TracedCallback<Ptr<const Packet>> m_txTrace; //!< A packet (payload) handed to a socket.
    TracedCallback<Ptr<const Packet>, const Address&, const Address&>
        m_txTraceWithAddresses; //!< Tx with local and remote addresses.
    TracedCallback<Ptr<const Packet>, const Address&> m_rxTrace; //!< A packet received.
    TracedCallback<Ptr<const Packet>, const Address&, const Address&>
        m_rxTraceWithAddresses; //!< Rx with remote and local addresses.
    TracedCallback<const temponet::TraceEvent&> m_sentTrace; //!< A sampled event was sent.
};

} // namespace ns3

#endif /* TEMPONET_APPLICATION_H */
