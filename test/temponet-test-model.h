/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TEST_MODEL_H
#define TEMPONET_TEST_MODEL_H

// Small models and synthetic events shared by the model and sampling tests.

#include "temponet-trace-event.h"
#include "temponet-trainer.h"

#include <cstdint>

namespace ns3
{
namespace temponet
{
namespace test
{

/// \return network sizes small enough for tests to train in seconds.
inline ModelSizes
SmallSizes()
{
    ModelSizes s;
    s.hidden = 32;
    s.mixture = 8;
    s.hostEmbed = 16;
    s.fieldEmbed = 8;
    s.headHidden = 32;
    return s;
}

/**
 * \return training options for SmallSizes(): batches of 8 windows of 64 events.
 * \param epochs most epochs.
 * \param patience epochs without validation gain before stopping.
 * \param seed seed.
 * \param maxSteps cap on steps per epoch (0: none; default that of TrainOptions).
 */
inline TrainOptions
SmallTraining(size_t epochs,
              size_t patience,
              uint64_t seed,
              size_t maxSteps = TrainOptions().maxStepsPerEpoch)
{
    TrainOptions o;
    o.sizes = SmallSizes();
    o.batch = 8;
    o.window = 64;
    o.burnIn = 8;
    o.epochs = epochs;
    o.patience = patience;
    o.maxStepsPerEpoch = maxSteps;
    o.minStepsPerEpoch = 0; // one pass per epoch: the tests' traces are tiny
    o.threads = 2;
    o.seed = seed;
    return o;
}

/// \return an IPv4 packet event with TTL 64 (flags -1 when not TCP).
inline TraceEvent
Packet(double ts, uint32_t src, uint32_t dst, int proto, int sport, int dport, int size, int flags)
{
    TraceEvent e;
    e.ts = ts;
    e.src = IpAddr::FromV4(src);
    e.dst = IpAddr::FromV4(dst);
    e.proto = static_cast<int16_t>(proto);
    e.srcPort = sport;
    e.dstPort = dport;
    e.size = size;
    e.tcpFlags = static_cast<int16_t>(flags);
    e.ttl = 64;
    return e;
}

} // namespace test
} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TEST_MODEL_H */
