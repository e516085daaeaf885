/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_IP_ADDR_H
#define TEMPONET_IP_ADDR_H

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ns3
{
namespace temponet
{

/**
 * \ingroup temponet
 * \brief An IPv4 or IPv6 address as a plain value, independent of ns-3's
 * address classes so that the trace layer needs no simulator.
 *
 * IPv4 addresses are stored in the first four bytes in network order.
 */
class IpAddr
{
  public:
    /// An unset address (family 0).
    IpAddr() = default;

    /**
     * \param v4 IPv4 address in host byte order (e.g. 0x0a000001 is 10.0.0.1).
     * \return the IPv4 address.
     */
    static IpAddr FromV4(uint32_t v4);

    /**
     * \param bytes 16 bytes in network order.
     * \return the IPv6 address.
     */
    static IpAddr FromV6(const uint8_t* bytes);

    /**
     * Parses dotted-quad IPv4 or textual IPv6 (RFC 4291 forms, including "::").
     * \param text the address text.
     * \return the address, or nothing if \p text is not an address.
     */
    static std::optional<IpAddr> Parse(std::string_view text);

    /// \return true for an IPv4 address.
    bool IsV4() const
    {
        return m_family == 4;
    }

    /// \return true for an IPv6 address.
    bool IsV6() const
    {
        return m_family == 6;
    }

    /// \return true when the address is set.
    bool IsSet() const
    {
        return m_family != 0;
    }

    /// \return the IPv4 address in host byte order (0 for IPv6).
    uint32_t V4() const;

    /// \return true for a group address, never a packet's source: IPv4
    /// multicast (224/4) or the limited broadcast 255.255.255.255, IPv6
    /// multicast (ff00::/8).
    bool IsGroup() const;

    /// \return the 16 address bytes (IPv4 uses the first four), network order.
    const std::array<uint8_t, 16>& Bytes() const
    {
        return m_bytes;
    }

    /// \return the usual text form (dotted quad, or RFC 5952 IPv6).
    std::string ToString() const;

    /// Orders IPv4 before IPv6, then by bytes.
    bool operator<(const IpAddr& o) const
    {
        return m_family != o.m_family ? m_family < o.m_family : m_bytes < o.m_bytes;
    }

    /// Equality of family and bytes.
    bool operator==(const IpAddr& o) const
    {
        return m_family == o.m_family && m_bytes == o.m_bytes;
    }

    /// Inequality.
    bool operator!=(const IpAddr& o) const
    {
        return !(*this == o);
    }

    /// \return a hash of the address.
    size_t Hash() const;

  private:
    std::array<uint8_t, 16> m_bytes{}; //!< Address bytes, network order.
    uint8_t m_family{0};               //!< 0 unset, 4 or 6.
};

} // namespace temponet
} // namespace ns3

/// Hash support so IpAddr can key unordered containers.
template <>
struct std::hash<ns3::temponet::IpAddr>
{
    /// \return the address hash.
    size_t operator()(const ns3::temponet::IpAddr& a) const noexcept
    {
        return a.Hash();
    }
};

#endif /* TEMPONET_IP_ADDR_H */
