/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_MODEL_FILE_H
#define TEMPONET_MODEL_FILE_H

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief A model file (.tpn) or checkpoint could not be used. The message
 * names the file and what is wrong.
 */
class ModelFileError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

/**
 * \ingroup temponet
 * \brief The container of a TempoNet model file (.tpn): JSON metadata and
 * named float tensors, with a checksum. Plain data, no code: loading a file
 * can never run anything.
 *
 * Layout, all integers little-endian:
 * \verbatim
 *   8 bytes  magic "TEMPONET"
 *   u32      format version (kVersion)
 *   u64      JSON length J
 *   J bytes  JSON metadata; its "tensors" array lists {name, shape} in payload order
 *   u64      payload length P (bytes; a multiple of 4)
 *   P bytes  float32 values of every tensor, in order
 *   u32      CRC-32 of every byte above
 * \endverbatim
 * Every length is checked against the file size before anything is
 * allocated, and the checksum before the JSON is parsed.
 */
class ModelFile
{
  public:
    /// Format version written, and the only one read.
    static constexpr uint32_t kVersion = 1;

    /// One named tensor.
    struct Tensor
    {
        std::string name;           //!< Unique name, e.g. "encoder.gru.weight_ih_l0".
        std::vector<int64_t> shape; //!< Dimensions.
        std::vector<float> values;  //!< Row-major values; size is the product of shape.
    };

    nlohmann::json meta = nlohmann::json::object(); //!< Metadata (without "tensors").
    std::vector<Tensor> tensors;                    //!< Tensors in file order.

    /// \return the tensor named \p name; throws ModelFileError naming \p file if absent.
    const Tensor& Find(const std::string& name, const std::string& file) const;

    /// Writes the file atomically (it appears only when complete). Throws on I/O errors.
    void Write(const std::string& path) const;

    /**
     * Reads and validates a file.
     * \throws ModelFileError naming \p path for a missing, truncated, corrupt,
     *         wrong-version or non-model file.
     */
    static ModelFile Read(const std::string& path);
};

} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_MODEL_FILE_H */
