/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "temponet-ip-addr.h"

#include <arpa/inet.h>
#include <cstring>

namespace ns3
{
namespace temponet
{

IpAddr
IpAddr::FromV4(uint32_t v4)
{
    IpAddr a;
    a.m_family = 4;
    a.m_bytes[0] = static_cast<uint8_t>(v4 >> 24);
    a.m_bytes[1] = static_cast<uint8_t>(v4 >> 16);
    a.m_bytes[2] = static_cast<uint8_t>(v4 >> 8);
    a.m_bytes[3] = static_cast<uint8_t>(v4);
    return a;
}

IpAddr
IpAddr::FromV6(const uint8_t* bytes)
{
    IpAddr a;
    a.m_family = 6;
    std::memcpy(a.m_bytes.data(), bytes, 16);
    return a;
}

std::optional<IpAddr>
IpAddr::Parse(std::string_view text)
{
    char buf[64];
    if (text.empty() || text.size() >= sizeof(buf))
    {
        return std::nullopt;
    }
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    uint8_t bytes[16];
    if (text.find(':') == std::string_view::npos)
    {
        if (inet_pton(AF_INET, buf, bytes) != 1)
        {
            return std::nullopt;
        }
        IpAddr a;
        a.m_family = 4;
        std::memcpy(a.m_bytes.data(), bytes, 4);
        return a;
    }
    if (inet_pton(AF_INET6, buf, bytes) != 1)
    {
        return std::nullopt;
    }
    return FromV6(bytes);
}

bool
IpAddr::IsGroup() const
{
    if (IsV4())
    {
        return (V4() >> 28) == 0xe || V4() == 0xffffffffU;
    }
    return IsV6() && m_bytes[0] == 0xff;
}

uint32_t
IpAddr::V4() const
{
    if (!IsV4())
    {
        return 0;
    }
    return (uint32_t(m_bytes[0]) << 24) | (uint32_t(m_bytes[1]) << 16) |
           (uint32_t(m_bytes[2]) << 8) | uint32_t(m_bytes[3]);
}

std::string
IpAddr::ToString() const
{
    char buf[INET6_ADDRSTRLEN];
    if (IsV4())
    {
        inet_ntop(AF_INET, m_bytes.data(), buf, sizeof(buf));
        return buf;
    }
    if (IsV6())
    {
        inet_ntop(AF_INET6, m_bytes.data(), buf, sizeof(buf));
        return buf;
    }
    return "";
}

size_t
IpAddr::Hash() const
{
    // FNV-1a over family and the bytes in use.
    uint64_t h = 1469598103934665603ULL ^ m_family;
    const size_t n = IsV4() ? 4 : 16;
    for (size_t i = 0; i < n; ++i)
    {
        h = (h ^ m_bytes[i]) * 1099511628211ULL;
    }
    return static_cast<size_t>(h);
}

} // namespace temponet
} // namespace ns3
