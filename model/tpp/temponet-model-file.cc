/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-model-file.h"

#include "temponet-atomic-file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <zlib.h>

namespace ns3
{
namespace temponet
{

namespace
{

constexpr char kMagic[8] = {'T', 'E', 'M', 'P', 'O', 'N', 'E', 'T'};

/// Largest tensor accepted (elements): far above any real model, below absurd.
constexpr uint64_t kMaxTensorElements = uint64_t(1) << 32;

void
PutU32(std::string& out, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
    {
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
}

void
PutU64(std::string& out, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
    {
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
}

uint64_t
GetLe(const std::string& in, size_t pos, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
    {
        v |= uint64_t(static_cast<unsigned char>(in[pos + i])) << (8 * i);
    }
    return v;
}

} // namespace

const ModelFile::Tensor&
ModelFile::Find(const std::string& name, const std::string& file) const
{
    for (const auto& t : tensors)
    {
        if (t.name == name)
        {
            return t;
        }
    }
    throw ModelFileError(file + ": tensor '" + name + "' is missing");
}

void
ModelFile::Write(const std::string& path) const
{
    nlohmann::json j = meta;
    j["tensors"] = nlohmann::json::array();
    uint64_t payloadBytes = 0;
    for (const auto& t : tensors)
    {
        uint64_t n = 1;
        for (int64_t d : t.shape)
        {
            n *= static_cast<uint64_t>(d);
        }
        if (n != t.values.size())
        {
            throw std::logic_error("tensor " + t.name + ": shape does not match its values");
        }
        j["tensors"].push_back({{"name", t.name}, {"shape", t.shape}});
        payloadBytes += 4 * n;
    }
    const std::string text = j.dump();
    std::string out(kMagic, sizeof(kMagic));
    PutU32(out, kVersion);
    PutU64(out, text.size());
    out += text;
    PutU64(out, payloadBytes);
    out.reserve(out.size() + payloadBytes + 4);
    for (const auto& t : tensors)
    {
        for (float f : t.values)
        {
            uint32_t bits;
            std::memcpy(&bits, &f, 4);
            PutU32(out, bits);
        }
    }
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size())));
    PutU32(out, crc);
    AtomicFile file(path);
    file.Write(out.data(), out.size());
    file.Commit();
}

ModelFile
ModelFile::Read(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw ModelFileError(path + ": cannot open: " + std::strerror(errno));
    }
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t minimum = sizeof(kMagic) + 4 + 8 + 8 + 4;
    if (data.size() < sizeof(kMagic) || std::memcmp(data.data(), kMagic, sizeof(kMagic)) != 0)
    {
        throw ModelFileError(path + ": not a TempoNet model file (no TEMPONET header)");
    }
    if (data.size() < minimum)
    {
        throw ModelFileError(path + ": truncated model file (" + std::to_string(data.size()) +
                             " bytes)");
    }
    const uint32_t version = static_cast<uint32_t>(GetLe(data, 8, 4));
    if (version != kVersion)
    {
        throw ModelFileError(path + ": model file format version " + std::to_string(version) +
                             ", this build reads version " + std::to_string(kVersion));
    }
    const uint64_t jsonLen = GetLe(data, 12, 8);
    if (jsonLen > data.size() - minimum)
    {
        throw ModelFileError(path + ": truncated or corrupt model file (metadata length " +
                             std::to_string(jsonLen) + " exceeds the file)");
    }
    const size_t payloadLenPos = 20 + jsonLen;
    const uint64_t payloadLen = GetLe(data, payloadLenPos, 8);
    if (payloadLen != data.size() - payloadLenPos - 8 - 4)
    {
        throw ModelFileError(path + ": truncated or corrupt model file (payload length " +
                             std::to_string(payloadLen) + " does not match the file size)");
    }
    const size_t crcPos = data.size() - 4;
    const uint32_t stored = static_cast<uint32_t>(GetLe(data, crcPos, 4));
    const uint32_t actual = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(crcPos)));
    if (stored != actual)
    {
        throw ModelFileError(path + ": model file is corrupt (checksum mismatch)");
    }
    ModelFile mf;
    nlohmann::json j;
    try
    {
        j = nlohmann::json::parse(data.begin() + 20, data.begin() + 20 + jsonLen);
    }
    catch (const nlohmann::json::exception& e)
    {
        throw ModelFileError(path + ": model metadata is not valid JSON: " + e.what());
    }
    if (!j.is_object() || !j.contains("tensors") || !j["tensors"].is_array())
    {
        throw ModelFileError(path + ": model metadata lacks its tensor list");
    }
    size_t pos = payloadLenPos + 8;
    uint64_t remaining = payloadLen;
    for (const auto& entry : j["tensors"])
    {
        if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
            !entry.contains("shape") || !entry["shape"].is_array())
        {
            throw ModelFileError(path + ": malformed tensor entry in the metadata");
        }
        Tensor t;
        t.name = entry["name"].get<std::string>();
        uint64_t n = 1;
        for (const auto& d : entry["shape"])
        {
            if (!d.is_number_integer() || d.get<int64_t>() < 0)
            {
                throw ModelFileError(path + ": tensor " + t.name + " has an invalid shape");
            }
            t.shape.push_back(d.get<int64_t>());
            n *= static_cast<uint64_t>(t.shape.back());
            if (n > kMaxTensorElements)
            {
                throw ModelFileError(path + ": tensor " + t.name + " is implausibly large");
            }
        }
        if (4 * n > remaining)
        {
            throw ModelFileError(path + ": tensor " + t.name + " extends past the payload");
        }
        t.values.resize(n);
        for (uint64_t k = 0; k < n; ++k)
        {
            const uint32_t bits = static_cast<uint32_t>(GetLe(data, pos, 4));
            std::memcpy(&t.values[k], &bits, 4);
            pos += 4;
        }
        remaining -= 4 * n;
        mf.tensors.push_back(std::move(t));
    }
    if (remaining != 0)
    {
        throw ModelFileError(path + ": payload holds " + std::to_string(remaining) +
                             " bytes no tensor accounts for");
    }
    j.erase("tensors");
    mf.meta = std::move(j);
    return mf;
}

} // namespace temponet
} // namespace ns3
