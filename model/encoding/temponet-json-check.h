/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef TEMPONET_JSON_CHECK_H
#define TEMPONET_JSON_CHECK_H

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace ns3
{
namespace temponet
{
namespace jsoncheck
{

/**
 * \ingroup temponet
 * Checked access to untrusted JSON (model files come from users): every
 * getter throws std::runtime_error naming the place (\p where) and the key.
 */

/// Throws std::runtime_error "where: what".
[[noreturn]] inline void
Fail(const std::string& where, const std::string& what)
{
    throw std::runtime_error(where + ": " + what);
}

/// \return member \p key of object \p j.
inline const nlohmann::json&
Member(const nlohmann::json& j, const char* key, const std::string& where)
{
    if (!j.is_object())
    {
        Fail(where, "expected a JSON object");
    }
    auto it = j.find(key);
    if (it == j.end())
    {
        Fail(where, std::string("missing key '") + key + "'");
    }
    return *it;
}

/// \return integer member \p key.
inline int64_t
Int(const nlohmann::json& j, const char* key, const std::string& where)
{
    const auto& v = Member(j, key, where);
    if (v.is_number_unsigned())
    {
        if (v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        {
            Fail(where, std::string("'") + key + "' is out of range");
        }
        return static_cast<int64_t>(v.get<uint64_t>());
    }
    if (!v.is_number_integer())
    {
        Fail(where, std::string("'") + key + "' must be an integer");
    }
    return v.get<int64_t>();
}

/// \return non-negative integer member \p key.
inline uint64_t
Uint(const nlohmann::json& j, const char* key, const std::string& where)
{
    const auto& v = Member(j, key, where);
    if (v.is_number_unsigned())
    {
        return v.get<uint64_t>();
    }
    if (v.is_number_integer())
    {
        if (v.get<int64_t>() >= 0)
        {
            return static_cast<uint64_t>(v.get<int64_t>());
        }
        Fail(where, std::string("'") + key + "' must not be negative");
    }
    Fail(where, std::string("'") + key + "' must be a non-negative integer");
}

/// \return finite number member \p key.
inline double
Double(const nlohmann::json& j, const char* key, const std::string& where)
{
    const auto& v = Member(j, key, where);
    if (!v.is_number())
    {
        Fail(where, std::string("'") + key + "' must be a number");
    }
    const double d = v.get<double>();
    if (!std::isfinite(d))
    {
        Fail(where, std::string("'") + key + "' must be finite");
    }
    return d;
}

/// \return boolean member \p key.
inline bool
Bool(const nlohmann::json& j, const char* key, const std::string& where)
{
    const auto& v = Member(j, key, where);
    if (!v.is_boolean())
    {
        Fail(where, std::string("'") + key + "' must be true or false");
    }
    return v.get<bool>();
}

/// \return string member \p key.
inline std::string
String(const nlohmann::json& j, const char* key, const std::string& where)
{
    const auto& v = Member(j, key, where);
    if (!v.is_string())
    {
        Fail(where, std::string("'") + key + "' must be a string");
    }
    return v.get<std::string>();
}

/// \return array member \p key.
inline const nlohmann::json&
Array(const nlohmann::json& j, const char* key, const std::string& where)
{
    const auto& v = Member(j, key, where);
    if (!v.is_array())
    {
        Fail(where, std::string("'") + key + "' must be an array");
    }
    return v;
}

/// \return object member \p key.
inline const nlohmann::json&
Object(const nlohmann::json& j, const char* key, const std::string& where)
{
    const auto& v = Member(j, key, where);
    if (!v.is_object())
    {
        Fail(where, std::string("'") + key + "' must be an object");
    }
    return v;
}

} // namespace jsoncheck
} // namespace temponet
} // namespace ns3

#endif /* TEMPONET_JSON_CHECK_H */
