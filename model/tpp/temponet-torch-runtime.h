/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_TORCH_RUNTIME_H
#define TEMPONET_TORCH_RUNTIME_H

#include <cstddef>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief The LibTorch runtime behind the model, seen through plain C++ types
 * so that nothing outside model/tpp and model/sampling includes LibTorch.
 */
class TorchRuntime
{
  public:
    /// \return e.g. "LibTorch 1.13.1, 2 intra-op threads".
    static std::string Describe();

    /// Sets LibTorch's intra-op thread count (LibTorch starts with one here).
    static void SetThreads(int threads);

    /// \return LibTorch's intra-op thread count.
    static int Threads();

    /**
     * Multiplies two row-major float matrices on LibTorch.
     * \param a (rows, inner) values.
     * \param b (inner, cols) values.
     * \return (rows, cols) values.
     */
    static std::vector<float> MatMul(const std::vector<float>& a,
                                     size_t rows,
                                     size_t inner,
                                     const std::vector<float>& b,
                                     size_t cols);
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_TORCH_RUNTIME_H */
