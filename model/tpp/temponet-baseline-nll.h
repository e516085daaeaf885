/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_BASELINE_NLL_H
#define TEMPONET_BASELINE_NLL_H

#include "temponet-encoding.h"
#include "temponet-nll-report.h"

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * Scores events [from, n) of \p seq under the Poisson + marginals baseline
 * fitted on events [0, fitEnd): homogeneous Poisson times (rate = events per
 * second of the fitted span) and independent empirical token marginals with
 * add-one smoothing. Raw values are scored as for every model (NllReport).
 */
NllReport ScorePoissonMarginal(const Encoding& enc,
                               const EncodedTrace& seq,
                               size_t fitEnd,
                               size_t from);

/**
 * \ingroup temponet
 * Scores events [from, n) of \p seq under the first-order Markov baseline
 * fitted on [0, fitEnd): exponential gaps whose rate depends on the previous
 * event's source-host token (smoothed towards the overall rate), and per
 * field a first-order Markov chain over tokens with add-one smoothing.
 */
NllReport ScoreMarkov(const Encoding& enc, const EncodedTrace& seq, size_t fitEnd, size_t from);

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_BASELINE_NLL_H */
