// Does not use crypto/tls.
package main

import "fmt"

func main() { fmt.Println("hello") }
