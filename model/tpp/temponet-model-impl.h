/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_MODEL_IMPL_H
#define TEMPONET_MODEL_IMPL_H

// Internal to model/tpp and model/sampling (LibTorch types).

#include "temponet-model.h"
#include "temponet-network.h"

namespace ns3
{
namespace temponet
{

/// The state behind TempoNetModel.
struct TempoNetModel::Impl
{
    Encoding encoding;                              //!< Frozen encoding.
    NetworkConfig config;                           //!< Full network configuration.
    TempoNetNetwork net{nullptr};                   //!< The network.
    nlohmann::json meta = nlohmann::json::object(); //!< Free-form metadata.
    torch::Tensor keyField;                         //!< (F) 1 for flow-key fields.
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_MODEL_IMPL_H */
