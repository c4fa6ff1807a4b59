"""Tables of MKL's VML kernels (as its SSE kernels on AMD CPUs hold them), for `engine.vml`.

Each is the bytes of one table of MKL 2024.2, zlib-compressed and base64-encoded; `table`
gives them back as a numpy array. Their values are MKL's own choices (piecewise polynomial
coefficients, rounded function values with packed corrections), which no formula reproduces.
"""

from __future__ import annotations

import base64
import zlib

import numpy as np

# tanh, float32 (`vstanh_data` + 0x540): 27 intervals of |x|, each a degree-7 polynomial's
# coefficients (float64, constant term first)
_TANH32 = (
    "eNqd1H000wsYB/AlkrASSSHnliukKYpD2qNCmu6NimQqeS9Z76kVN8xbKt0ppcRhopRelNdre/I2yWpMq1Q0Cp0l"
    "Uywh3J3T7df/9/vH89/nj+/znPOQSD9iyJmimP1wZaiW3S4L57X1nz8AnmKcVPpEwN2zEOeM7nTuDKuCOxxpbi39"
    "PP7HSJQ7dTsjFobyVJi6AUoKf/heXNvTj2pYvJXJSHQTo3WOcWXe2/2IUiH3TmINiORJNUq3rhM+NVJ+6LU4jvfa"
    "79ksVYVPjB3kv8oxwhXzFm/IWCXG/EU5W4pqIvFiEsk28kQtmCSpmk99eIvwaFxgY9p1lWd80CNhhsKbha+fpBdj"
    "ib7NhV23rcW4Lk6116Q1DrnuU6yqdteBnt8W4XK1u4Q3NDDR7gm9y/Pl6DYbKXz+tgmr2AJ73OFmOaK+QIwGyoZu"
    "N8dOo77GjnnbHfgQtC6hj0S7R3gfF3q6oLmKl5+V9X2Fws+MLd3u+MUZD/W7aidqiFFnGlfVIZeN913aMkGzHkR1"
    "ws5U3yLCF3q+99j6vYKXceLUWWuFZ+i7NSVvdML64eKYb2QxFtJY85+Gs/ELN03QPK0e6jLKuov9fvlsalLJFbN+"
    "ql5lNd9mXAZDz443GcVshIg2mgwOitGf8jKow+MoOtzimHxW9PeZI3MKH/jVP31z3LBamy5w5x3rsfsqA5eprD6m"
    "43Ew8HhnMMF6jldtx7X6Z1wEFv/aOdbcaiiwLmsebP+1//rjsj+Xla6Ex6/GAy63yCBTNY3SdP0KOA7Et3q+bcXF"
    "DFLCbNtycLlZnWyyoBjkOk6fdYw4hM+bbqfMZfoBdd/0g4t8ZBBsI5//fawY1NcPp5zsl+C4hMJkNQjh+Bf33YG7"
    "k3HTdtHZ1x8TCO8+2Jg7o/4w2FWWqPRG9wF5tUTn4Go+0EQrPDcMdmHmrcFjPvJWwNix/Eqlcly3Sa6TzYiEn37W"
    "V/4SvUOxYFEsVOq48AnKl3NvL2U0gb69T2qFihR3uZxbLouSACd0842MiWrk6Xu4+vn+TXhdYYVkhMeCFrVC2Tjj"
    "Ezibl1ft9WoGetrLks4yKY6Q9M0HdTsg86bBUyq5Ft3Q26z+A5vwjVXelksdL2BesoXpDfXPwJ72bAO5NAWtLcaY"
    "T2Z1oKTYs3hu1XN48eGya3t2OdJSJocHRcUT3stPr006XoZ0y0tBm+Ry0POWatPfSjDM3aoVlB9gtGjMLnflQxjN"
    "0hn/rZODvd5OHxO69xHeVafJNL/kEb7TeMS0tx0FGWcXST4sQ8qn4UN8cxEMWaVmXHfIxOV5PfTc08E4Uz3AbVmY"
    "M+Evf+gbPjVZhD5NnLQNeyeg5ajmbv5KOZIvi6K3zZSAqMTrTE5MJZpoNWjkS5Ohuft62ghjLXG/9hZHJ2OmACvq"
    "ilw1aWOgx/JscLUZwCHPBX/sJL8BLklmlPmuFB10WY0x9HhYEiHqZktWET40ii1wCmNif9ZfQj//r2AReuDE8w9S"
    "DOmupbsJmmG46P0xL8pNFM+v9XyZeQRM864VzflsSfgyJV+1xrVNEMBQ3l8Y0gf+wbvoHZckOO/+duHURzXgWBav"
    "NV39Cubf0ecfmBYIquVn1tbPnkN4c+2TlJD9neCq+UbQE9YOkW9fedC+CTAilGc80lEIjt5bHXaci8aK0VMNrDUu"
    "sDqL9+LdP0O8n/6lb1eL7VMptN2Qm23pqAHtobnKdxX/yYC6b0IuSYbCtM5AdhQdF+4xiVdZYAisYN9cva4Gwjur"
    "FA18de2D6Q1u6aaCPFD7+GKAJUrBoCP6Y06vQyA7O0nFnroMVzq+IB8J+0LdcXH1mYIZGYTXyAkQ+0fJILCv0J2M"
    "CWBodT+FYhGOl9Qsi7xs1sCEQUHP1HQNfFzDNgpq5FOXjQZLngQwCB9SELhwaa8MyMnHsmgPvIHjr05ZXG2Hj7Ui"
    "dZMqNEAivKdmoyXiFd0z+z2elkitsbvROttpEeF/pB9I/zP/Aokx6p0="
)

# erf, float32 (`vserf_data`): for a = k/256, k ≤ 1006, a pair of 32-bit words: erf(a) packed with
# a small correction in its top six bits, and the slope term
_ERF32 = (
    "eNp103k8VN/7AHARkkqlUpSppCmKMtUw98699xxpLJWyL2XUxGTJYDAYMycRJSJKWnxISinRpkX7RmnfCGnVXsia"
    "bX73fv//zT/v11me5zzPOXfU1JjfZqj2/3gxJMtarQ3BbcnnsoZ9RbDtQD2u0YTg0dMDsZpPEDyzfuzcETcQDA+Z"
    "yR9djuD3yEX5Ew4i2Be7bNe0VASRwstuTjiCrpuD11l70iYmrHPCEZxPpb4SsRAsJrI0N6vR+7F93offKSHLumjx"
    "oytKqMY5kTG0Vwkz5p3TsY5QwjOzrrrL7ZVQaHTPpmaaEiaOfbJnRrsCjhhevy7llgJ+6Hof92+XAva3fN8aJ1RA"
    "u5d/wUhzBTx5o19xsjMBZrmrx/hfSYA197XU2VsSYCeuG6ixLAGOLteb1KWdAHWmT/BQVcvh+8zJ2SYpcpg2NNVn"
    "HZTDoZAZ46sG4iGn3tSYcz4ezrA1G18bEg+vn7TwS54eDzUnckr9X8TBn3LuGf/kOBj0AeOlcuJgtB0VWPc+Fo44"
    "ttRldXosnKLjoOxZHAsPbVxh/PCtDObeW+3zNEkG22d6RI6YI4OlCh8f6YMYeOm1n9bEkBg40UKk3qYTAyuTxI5a"
    "JdFwT12IhzeMhqVzw61+NUbBX3FRkTekUdC9JnbmG50o2DhBEWjznxReKd/s8mGBFI5/uWX8q5uRMKQn2dFgdSS8"
    "MyXVorQ5Ak7Gtn/JCo6AAb477j3sDIcl8Rlj/BXhsD4v87Xz8HDYc35X6cHtEqh6lnPZcbQE/v61J9I3Mwxe1cqz"
    "eKEXBkNY+4mzOzfBziUHzdRGbYJuK/5zrEoNhdvWFy75NiwUpscUeaTFh8C124uXHW4Phj37j8Zbi4Oh54lj+x0b"
    "g2D85VK/tyuC4Jqak8s6r22EfS9Pjcy22AhXva+wqDoohr4/zigjdMRwSse58RejAuHWvkqrnOYAmK92SUtTEADX"
    "alYZjzu1Ad4acTXwiv4G+GDkdcMRsSIYrnszpbdhPTw78rZLFr4eZo64a/zy4Dqoplmdfa/fH2qq3Q8L8faH+/89"
    "WH/vvBBeaX+ofDNWCIO+PeaVBvvB/LdPHbHba6HHs+dWmYZr4a7bLyedCF8Dnc69Ns6+6wsTD9fH2E/xhVa7Goyf"
    "hPhAb0WTcv5Vb9gtbh65YbQ3HL76vUXsGi+4xfqjelipJww1/uwn6PGAN9W/ROrYekBly9ctFzPc4aF73/3c69wg"
    "++hPj68sNzgm+TchEbtCV//WyI4yF9jFa4fRHathu37H+H7uarj0Z+fKFPkq+PtGt8/Ua87wx+5e4xuqldBa3Dcm"
    "hloJX3EHZoPNK+B1rSEP9vXlsOuFaubcQSd4+Yma3gqeE8w/N8woN8YRFuWp1+mccYAP5Bqux37Zw/F+wwtiZ9vD"
    "eFKzTiEUQPXpWiaX9y6DJSqtHYue2MHgZm2nVk076HBlBPqDLYVL9+kIF0fYQp/okUY1RyDcvkr3xYk3AD43G/Xz"
    "4ygAFw0fvTeCpOCpptFGvhEkJM6NKThaRMCWNL29ri/4sMh/rGuQBh9GLR7H+m6FQx+d8YI36zDo1jSexLN4cN0p"
    "fd9J12xgIppgFPzTGp5xnlhFTLaGXcaTGncv5ULH35N0I8KXwFOXDUT1BxbDmamTCx7dWwSPukxxdmvnQOtphlUR"
    "Rhz45othOdvOCm4rNzqcELYQ2smmciP2LoBjiGnXR92whC0axqTzNwtYU2OsT421gJXprKr33PnwtPN058XCefDC"
    "uBkcmGIOa57PMBpZZgY/Zc8syH4xF+q4mFxo/jcH8sbO4rSx5sCoR7MkD+3Y8OJ2U7ksZDbUsptt3pFlCteqZhvZ"
    "Vc6CVy+yLcMbTeDsiDlkrJoJzJszl+NvOhOOfze3fJ7jDJi724z1Pmw6nOFgXq7MYcHKAXM93YvG0KV8njStaRrs"
    "8Z/vpFKbBovHWXhuMp0KvW9aZNY5GEGDcEsOCDOEb6ct0DiVPQWeeLBAw+TCZJgYsxA71GgAhTOsyuerGcBltVZn"
    "H8yaBJdEcYRyh4nQYuoiqW3YBGh5e5Hz7Bx9aBO0WI99cTx0GrNE7vh2HBSfWSLIUh8H0925AhV7LLzcw92bt0IP"
    "/s2zLhdKx8BFNjblXvtGw8R6G93k66NgXQzP81uLLrSegHmmjtKFxRUYtp4zEhotxzlKHx2Y/wWXNSeOgOab+alJ"
    "x7Xh3cnEgchnWjC0grAt+6cJWQJSbD1TE75rIjMnOA2HZRGUr12UBtyuCTQe5avDyDwgq6geBoPNYElbuxqMrIKW"
    "mVPV4HYnW22TzCFQ3mAr+dsyAL5sXBqSxe8HFt1LBRq5/0DqFjvn1a094O/oZRylQzeQ5C0jM4s7gWqGgJ2m1gGK"
    "SgWkdG078Lay5zpXtYJZl+xDZhn+AcNJh5zuuF+g77aD+H7DD6Bl70gexr+DObWOSakFX8H6FU6CBI0v4Oxjp5zk"
    "jZ/BNOflSUcffwSFj5ejz4s/AP6KFU5L/3sHOh+scL6v3QzuCVa6xkU2gXO3V7I8mhvANcLZJNDpDWi56Gxy8lId"
    "mGu1Kmf+3Ncgo3SV9q99L4HezNXs37ovwOm81eaL0DMgHeOSdLfjCfBMchEXBz0Ga3tcnF6+fwhSgl11vbxrwfMm"
    "V6MlL+4DuNLNVbKyBtRdc8vUrr0HcizcjdQd7oKofPe9oprbQKnrYTLf4RYoj/UQbai9AUa2eOiNdL4Odq7y5Ji8"
    "vAr4VZ4mZ3yuAANTL99LHy8D451eJnjoJeDS7aVN9FwAZ9d6y28mVYKld7zJ6nHnwXAzH4n7obOga6ePb6jVGWDQ"
    "4ZOqd7cChHr4OlHe5aDzoq+5emsZqDBcY+CZchIUytdkQtYJUN24Rnj30nFgiq3V++h+DFzet9boQMdRkNqzNqkj"
    "+wjIdPPT/sUpBk8r/IQpr4vAilFC13vxh4CWWCg5Ob0QDN4QGvBq/gMLDf1FkRH54Eikv7n71IPA64F/6tea/WDF"
    "jHVObNk+kCxbpz2ZnQcGH64jq+pzweUZ60Xj0/eAK9HrxcZgNxh+f73Th55skGMk0vat2AWCNonYO4OzwLZrIoOE"
    "2ZmgbcwGsennDHDYbwNKO5wOiso2iMo27AB/+jfoZrLTQKpDgMbCX9tAWG6Ac86ZVHDkY4BvZXwKmG8RyD6wdCvQ"
    "igskl45NBla3Aw0q3m4Bp0eJue9PJoKt7mL914rN4FS+mJxxSAksWsQmJo4JQHPeRtez3XFgceRG26dHZeDahY3y"
    "BJ9oUDSwUXphnBR8pILMkx6GA2VyEOddWhiQVQclPVoeCp7qBOs5jQ8GqU7B0jWNYlCYHqw3VBIApjwKTrWKFYHu"
    "USFkr9M6sGR5iGCViRA0poUY8IbWgJaaEOx8kw/w0Ao1v3nNC1jYhkr8ij2ABIUm7chwA4ZVoUL7eBewoDtUd3fw"
    "KnB6wSb9ML+V4L/gTZJX7stB3+FNeg9WOYI7TZt0HZ3tweCEMKHb6mWgZHlY0jePpeB2UphU0x8Cl8thnOOhFHBr"
    "CxO8SCBAramEnZiFgws+EuGZEh4wzJQIA25Zg65bEnbe+yXAvltCOqovBhPnhhvFsjlgjW84OX3VQsDKCGfbJlgC"
    "v2vhrk0n5gOj1nDuj2Zz4MGK8AydaAbGOUdYCp3ngOXKCOxG+mwwoixClvloFhA0RnjWjDMBOjqRomDvGWDVkkjt"
    "iGIWMBJFOjf9nQY2ZUayjy2dCpZVReq92GcISr5Eavj8nQyyxknlNisNwHBcKg4vmwg0AqWCPr0JYGemVO919Hhw"
    "5KKUVHs3Fjh+kApinPSAUifKaFHVaAAWRmHWFqPAHq8ofWXxSBCPoljDjXVA+5Eoz+r92mCgNsrktqEW2N8eldqV"
    "Pxw8nhQt9p2lAfKwaLKtbBjoFUannuapgfakaJb1nkFqS0m0nk9VH3XyQTR542sPFfE72ijAsIt6phdjQLn+pR4t"
    "jGEvz26lAl1juJvrflH5UTHcupk/KOmeGH2HqK/Ut/Mx5OPaz9TQqxiWcO5H6nxXDLs7/R01ZqLMNq27iRq5SCac"
    "ENhAlbrIhOmNdVRruIz7y+MV9WanzNm8/jkVfFKmC4VPqUP3ZcI5vx5RiV9k7DplLaWjEespMLhPYaxYV8n5e5QB"
    "Fiu3975DFXjEYvfVb1HPI2LRr9PXqbPpsUYlgVcpUBKr3Tm9ilLcjDW6//4itbEx1pZ1tJLS6Ir1/R1+jnIeEyeY"
    "B85Qy9lxIS8mVVADZBy7ob2M8vOKE9o8P0FFhcdJvl04TpHb4jjNRSXU9YI4/fE5R6jOyrgQ5bbD1IdHcfqTkw5R"
    "yZ/jJHVbCqj3fXGe51Pzqa6x8eYluw5Qt2fH2x4t3Ec54fGo9NxeKnN1PKf00R5qZ2A8lv8zh3KQx0vlY7KpW5nx"
    "5viSLKr3cLygbv1O6veFeP2lu9Opwtp4SdyDNGrCu3jzcM3tlP3feBbLLpXia8pZiu1bqU4DuUbS8yRqk5ncYM70"
    "LdRxXM4VRW6mjq+UW3pmK6hN/nLXTvt4qjtCLk0bIaPskuQinWdSyme3XOJfFE4tOSIPUSZsohrOy1kuwmDK7p5c"
    "VOsopuJey9EbYgMl+yInQ7B1FNEtl0ooP+qpZoLo1Qpfav7EBGGGyIvymJVguTXRnXLiJLDKSlyoUTBB1vnKmTqw"
    "KgE5jFpB9folJOU7OlKzNiUImrMEFEueoD/QvJT6vi3B8usiSCXlJogysknqz+EEybsenDI/ncB6tIFH2VxLsLR7"
    "w6Wm1CaEWLsvph7VJejn1ltRrp8TxCtFC6hTbQmWq7rmU28HEkwydppTH0Yo9Dos5lKXJyjMo17PpoKmK0hV8izq"
    "j7kiaStvJuXEVXC7ulkUggoDcHkalbZCEeKVbESFeSlEZu5TKHORQnB8ngF1c5NCcHfkRGphrMI8rHU8Jd+iMNnd"
    "MJYqSFdIzB6OoQpyFU6sO6Oo+EJFSMCtkZRVqUL7170R1N2zCuGRZ1rUkqsKk8SPw6nkewrdyH/qVPkThWvQpGHU"
    "pXqFeVnkEHnog8LZ504fufGHQnJpRg+p16EgK9I6yD39Cul0VSs5oKG0/a38RdqOUgr7dL6TIROU8nmFLWT0VKUg"
    "AHwk/WcpZTt+N5MW85TczcWNZDNHSZoF1pMRmJIbavWK/AqVnvN0npPAUSlY8eMxiVYrsfOvaslDXkqhQ20NeUyo"
    "FP55cJfcHagUp728RQZuUpqrf7tOTotSOmOaV8mqeKXG1HmXSSJRKd2x5gJ5PFUpCMs9R/ZnKM1PvDlNLtqtdDKb"
    "XU6671c6P5WfJP0Klb7JDcfJVUeVJpawhDQ7qbStPFNM/j6tDFGfV0Tuv6Ak/5UVkAuuKsVbrfPJ07eU2um1+0mj"
    "GqVTT2AeGf5I6XpqZC5Z8Vxpu68yh2ysUwqKgneR7U1KdHp2Jtn5QalX/iOd/PhFaZRSmUZe+am0nZa2jUxqU3L8"
    "A1JIbpdSw9o+maz7p/TdabWFDBhS+q6YtZn8oI5MrvESSEdt5LkGiyWLdJG+g2MU+VUPydeIw8mpE5BlcHYoSU5G"
    "Tg61G8nVU5H0ybgA0nU6Il8GrCOXzkKuFtVrSdM5SFC52IfsNkckPO1BXrBEnidtXMkgDmI/fOxM6nKRqzx8Ofkf"
    "D0l2GTuQJgQy+lFvR+YBJFtbAEk1O6RfHUGS3vZIf9gqnCx2QnpfbGzIDyuRiYvlEnKsCxLNWMAhrdyRZD6+gBR4"
    "IaGb63zS2RcJpNFmpKMfsg0oYpPW65BEp2EWabgB+WJTZ5JtgYjduJFFXgpCorvXp5KyUGTeMN2QnCtB+t07DMgn"
    "EYjTrzaRDI5CJtVoPPkvBsl4I8aSyjhku3j/aLJXjoz2LtYlxUpkZNswgqzdjFwNtmmRpknIs5cYTkZvReSdoWFk"
    "VSoyurlTRXRvR8h3YT8xNx1pGLd0E6t3Iu7j43+J8CxkboX+EFuzkWx8wA8iezcyX+z7hdiTizxF6z4SWXlIP1DW"
    "TCTuRyFa+Q1E8EEkHfP8NeH0HyLtJ70gTAqR7+agJ0THIeS5pbaWqDqMnKbgNYT8CCLHV90hOCVIgNnfJD4dQ1LR"
    "p6tEeiny9Ey/TMw/iWRf4AWiugxJPmidI3zKke3k+griSwXS9aksI4LPIGf5oVLi21lk4rivhBCeR3oH8ouJJ5WI"
    "DU4dIqwv0nXU/kccvIS06zoOEL2XUUj4nH2E8xVkeWpjLlFwFQkDz+UQP64hbYnuLsLiBuL+t2knEXoTyWsbdhBH"
    "biHfhy7bifrbSBz/KoXQuovYp9YnExb3kDnZl0isqkZojDUiwmqQ+Y3MeCLlPt1vfzSx7wEi18RHECW1CDs9ahNR"
    "8RCRqtMbiXOPkPNQ0Abi7GOExIv8iVNPkGvn2DVE8VPk6qfyJHKfIT2RypVIeo70ro1dRYS8QJ7zOMsJ55dIHhpo"
    "T1i+QnJ+6VJC9zUS+w1RxKfXyDZrPZ+4UIeMdr+2IVLqkXy+zxLC5Q0STfttRRg2INGcTEuiuQGhCdQ8oqAR2Rar"
    "5hBrmhCn8JEpMfEt8n18fCZR+xbZduewCEUzkrzfMZWY9w6J3XdNIerfIYxVPInY/B6Jde7oE6YfkKy5bSxRTRtk"
    "NoYI/IhEceG6hPon5Pzm1gjiwCfE9ZqhRSz8jMzv7tAg7tD+GTaMcGtBpJP2IP9DC5JEz+jlh35B5ODqDn7nF8Td"
    "lveHH/cVCS93fucPfEVcLLCFn/ANOZ399Z7f9w2xHqQ28aO/I8yMW8//8x2xUN8L/oYfyDXm2RN+/Q8kvFJVy3f8"
    "iQTql6r5l38iva6a23z2L0Q6/LzOz/6FfMtZV/j9v5CoKeAif/1vJNpy9Ry/+jcS+sw+zTf7gzwnF5bxd9BGm5Xy"
    "f/xBvmZ3j/IFrUjyV3KYf7gV6aeYFfIHWpHT4c6DfLc2ZKL5eB+/tA3ph1bm8ofakHluWQ5/VTsSw7NZ/EPtyNmq"
    "OoPfRo/Z39P4xF9k2TJ5Gz+N1sJjK//lXxRSU7iFP60DidraED+gA7F0LsfzT9BuPBjNb+1AIYV7w/lWnQhRJ0L4"
    "UZ1I3Pw6kH++E7FGG67nd3Yiy8CotXyrLmSQ2OLFD+tCwp5QN35pF9IOGLmK/7kL6YmvOvGndiOUv1XAd+tGviXr"
    "bfk7uhGL7Ubyb3Qj1xveGL+zG8kNpFz+nB5k8KyAw/fpQey8d5b8HT2Io281j1/Vg7DfuXP4P3qQ7YvRpvzJvcgp"
    "PHcG364XeUYtMOZH9KKQnY2G/Pxe+n+z14Bf3YssH4gm8Nt6kdiFGsef8g+ZX503hg/+IY3rc3T54n9IMm7RCH4G"
    "bchKTf7Zf0g7RabOr/uHSMxPhff/Q3oN3//h0/oQ2rCrE6f6kJ6bWyu+rg+Rc61+4Fv6kMEGsxa8qA/pb8Pf4zf7"
    "EHfKxkb8fR/SLjj5Gh+k44p0nuNG/Yh9UvkI5/Yj+XLd+7hbP9IYW34Hl/QjbHvQDTyNXnfgXcGL+5GgZfpF/Fo/"
    "YnVMPYfX9SNLXYsKvJWOq3E9iWsPIHQ34xjOGkBkYWMxvoS2Gz+EL6fnQ07n4+tpC6z347H0/JLnuXjGABLUK3Lw"
    "ogGkZ4Zl4ZUDiPVKJwO/P4CkW79vx98OIP3Pb1Lw1gEkK2xIwtUHkbn452Z8wiBivzJIwE0HkfSCLAbnDiLdhq5w"
    "XECPS3aF4F70+nbHQHzjILL8zVqHxw4i7WXj1uCpg4ijZeyJ59IetnPBj9Bxu1NX4Gfpsccne/wmbYDXUvwJPU99"
    "IfGmQUQGpWP490EkCHDk4t30+ZdZHFx9CIW06VriekNII3uMOW44hOQWbDY+ewg5r3Y3wRcOIZSZx8L5Q0gvts0I"
    "F9Dj4jWTcRd6/VjTBHwNPWaFj8PF9HrRpDF4BJ3n6ZORePwQ8l12QBtPHkL6R2OH4xlDiLNLPAzPpfV+MoAVDCEj"
    "rL0bK6HPn7yoHasYQizbvT+xi0OIO9bwC3ZjCGFvqt5jNUOI3SdvxJ4MIdlz79dYHR1/1+0Z1kznXxL6EGuh4zML"
    "qrFfQ0iE/bmFdQwhp2Oe17A+Ov+yxkuYmgp5psWex7RVSOOHxWlstAoZvBs8iemrkNHnz8ewKSqkG/epGDNWoZBp"
    "/wqxWSqEuZnmY3NVSHZEvA+zVCGT3Ot7sEUqRJ6Zl43ZqJBTyqmdGKFCgqKlOzBbFeLk/knF7FVIv+dEMrZchUTe"
    "CYnYajru2LUEzJ0+f/jxGMxbheSqynD6U0f6L78GY+tViHWLF4AF0o4pF2LB9PygrQ+2iT63qdcNi1Ah196Hzlg0"
    "nefIdUcsVoXE1k/tsAR6v84QhSEVcpbZ49gWFZK+O8XFUug+ShZwsO10X5xHFlg6va81yQzLpMd2brOxbBXSO8qf"
    "ie2m8yeTxtheui53b0NsvwpZZqdNwg6qEDr3fDxWQPeFLdTDilRIu+SILlZM9x1vOQI7qkIS/PFw7Dh9f1GJw7AT"
    "KsT13jXAK6Pr+Lasm1dO9312ZhvvNL2v2eQH7yxdV47DZ955eqzKbuZdoOt3UdXzLqmQ792MF7wq+pws/mPeVRUy"
    "7xh9n3edrn/B0G3eDXpfxujrvFv0O3hil3l36PmGlPO8u3S9wa0VvGq6nzVRJ3k1dJ6RE4/xHtD1PHt6mFdLv4t+"
    "SQHvId0HZ+8B3mM6b17hXt4T+h5P3crhPaX7/jyQyXtOxx9fmc57QdcfeWEb7yVd/4UlW3mv6Pr/1ibyXtN1w98J"
    "vDo6T0poDO8NfQ8XJ4TzGuj7+/A5iNdIq98k4jXRBvxby3tL19eOefGa6e+rrsiFUYbPX8F7R39PyxsEvPd0nZzj"
    "kPeB7pe9j8/7SN+333Fr3ie67olvOIzyDLYl7zO9b9RuM14L3febabN5X+h12zszGKUHU6bxvtL9cTdM4X2j31Wy"
    "ZiKj9FDYON53FbKdt3807wf9/cQ06zAKW3havJ90/y2n1BmltdIhm1903vLKHkbkb9pu85uOe3Lth80fuu6OxM+M"
    "tvc3NTMi18R6m1Z6/4Gq54yyU0aPbNrouosKqxnFOx1u2bTTdWRPvMro+kzjos1f+p5i9M8ycstsTzGKS3OO23TQ"
    "fRSrH2EU1GcWMkpTeQdtOun4nmF5jILwlhxGCficadNF7786uIORtFm4jVE8Tpls003f86FPmxkt99+KZ3Tt+iVl"
    "lJrabbLpofsf/iCQkRMV78/outbdh1Fa5u1m00u/l3fKSkbzNQ32jILLbraMorhOPiMquWht848+36uQw2h5pNSC"
    "UXDq9VxGYa6JKaNsW9Z0mz4635mpUxlNBNUGjNwtmfqMToVReozCj9G6jNJd2do2/fT99N7XYDQSG6kxmotG/bOm"
    "xUT6fxmdUxx/MgozKj4zSuDSZkYUPbzeeoDuX9X6jNHohuZDRnbB0nuM3G0nbjDaRtpUMbp6/j7PKLS5V8EYMv32"
    "CUaZ4aej1oP0e+OmRYy6h7blMxqIR+1jNDlfvpvRvDIii5F7YHU6I5m3chuj0w9xMqPrk4ObGX2N3sQxihpORjJK"
    "4s+GMMoKfm5gRL2uftZDdN+8n56MuqYVqxn1Ew85MRpNvWbHaPJ4OMXIjo7iMVr26C5m5MIHloyY4ykzRlvdC6aM"
    "gpRP0xmd7lpNZXR9ddiA0fPxYn1G3/tfxzCKvl8cySh2O6bFGMI9r84o2X51kEsr3WjfzShL0WlllAeqvjKiPXM+"
    "cFX0PZUlNTBqr9R7yag788EjRr23Z6oZ9Xk1NxkN1HSuMBr1Syv/p0r7NCPr5+0TjCbFR48ysieWH/qfVk0HGc27"
    "5+UxWm4ozPmfSYszGTkbfqYxco1upvzPe+e3MGIjdyn+p0Z7NCP5fHvY/3znLWa0PSD0/5/J+7wZBTO0XLn/BzB3"
    "lX0="
)

# rcpps of this CPU (AMD Zen): 1/x from the top 12 mantissa bits of x; for x in [1, 2) the
# estimate is 0.5 + u·2**-12, here the decreasing u's steps from 4096, one byte each (measured
# by running the instruction on every mantissa; scaling by powers of two is exact)
_RCP_STEPS = (
    "eNrNkgsOAiEMRKfF+5/ZGBblozs7aVFZAnm8KRCy7ua11fk2cSHeSb6QvDpbMj+mvhfCLvooWzJjPc/MX18R2UWv"
    "sole5bbQ+syF+Cib6KOM9bxnqj7MXrZkrzJWf4SGdF926rMZyR68fmjv1s48y1swrzakVGG6Ly7nsxn7Paa1gZ14"
    "Vm/J9RDreR7jIDI216tez7cnQbe8j5GcV/2ax9j/nBH0C6N/FT67mN+9H/LuU4eJjTC+7JFcf/wy/b+Tyvjxfrjm"
    "P26j+mg+u57xHTJDEAE="
)

_TABLES = {"tanh32": (_TANH32, np.float64), "erf32": (_ERF32, np.uint32),
           "rcp_steps": (_RCP_STEPS, np.uint8)}


def table(name: str) -> np.ndarray:
    """The table `name` as a read-only numpy array (flat, in MKL's order)."""
    text, dtype = _TABLES[name]
    values = np.frombuffer(zlib.decompress(base64.b64decode("".join(text))), dtype).copy()
    values.flags.writeable = False
    return values
