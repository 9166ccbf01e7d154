// Uses crypto/tls, so crypto/tls.(*Config).writeKeyLog is linked in.
package main

import (
	"crypto/tls"
	"fmt"
	"os"
)

func main() {
	c, err := tls.Dial("tcp", "127.0.0.1:1", &tls.Config{KeyLogWriter: os.Stderr})
	fmt.Println(c, err)
}
