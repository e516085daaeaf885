/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-torch-runtime.h"

#include <stdexcept>
#include <torch/torch.h>

namespace ns3
{
namespace temponet
{

std::string
TorchRuntime::Describe()
{
    return std::string("LibTorch ") + TORCH_VERSION + ", " + std::to_string(Threads()) +
           " intra-op threads";
}

void
TorchRuntime::SetThreads(int threads)
{
    if (threads < 1)
    {
        throw std::invalid_argument("thread count must be at least 1, got " +
                                    std::to_string(threads));
    }
    torch::set_num_threads(threads);
}

int
TorchRuntime::Threads()
{
    return torch::get_num_threads();
}

std::vector<float>
TorchRuntime::MatMul(const std::vector<float>& a,
                     size_t rows,
                     size_t inner,
                     const std::vector<float>& b,
                     size_t cols)
{
    if (a.size() != rows * inner || b.size() != inner * cols)
    {
        throw std::invalid_argument("MatMul: matrix sizes do not match their shapes");
    }
    torch::NoGradGuard noGrad;
    auto opts = torch::TensorOptions().dtype(torch::kFloat32);
    auto ta = torch::from_blob(const_cast<float*>(a.data()),
                               {static_cast<int64_t>(rows), static_cast<int64_t>(inner)},
                               opts);
    auto tb = torch::from_blob(const_cast<float*>(b.data()),
                               {static_cast<int64_t>(inner), static_cast<int64_t>(cols)},
                               opts);
    auto tc = torch::matmul(ta, tb).contiguous();
    return std::vector<float>(tc.data_ptr<float>(), tc.data_ptr<float>() + rows * cols);
}

} // namespace temponet
} // namespace ns3
