package provider

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
)

// SignOutTimeout bounds the sign-out of every backend together when the provider
// stops, so that ending sessions never holds up Terraform.
const SignOutTimeout = time.Second

// Process is one provider process. It remembers the clients each configuration
// opened, so that when Terraform stops the plugin (providerserver.Serve returns after
// its graceful shutdown) main can end the provider's own NITRO session and Nimble
// token instead of leaving them to expire on the appliances.
type Process struct {
	version string
	// now is the clock of every time the provider reports or computes (idle_seconds,
	// signed_out_at, how old a user listing is). Tests set it to the mock's clock, so
	// that no result depends on how long a test waited for a parallel slot.
	now func() time.Time
	// wrapTransport wraps every client's HTTP transport; tests count requests with it.
	wrapTransport func(http.RoundTripper) http.RoundTripper

	mu   sync.Mutex
	data []*providerData
}

// NewProcess returns the process-wide state for a provider at version.
func NewProcess(version string) *Process {
	return &Process{version: version, now: time.Now}
}

// Provider is the constructor to serve.
func (p *Process) Provider() provider.Provider {
	return &accessplaneProvider{version: p.version, process: p}
}

func (p *Process) opened(data *providerData) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.data = append(p.data, data)
}

// SignOut ends every sign-in the process opened, concurrently, within
// SignOutTimeout. It returns what failed, for the log: a failed sign-out leaves a
// session to expire on its own and must never fail the Terraform run.
func (p *Process) SignOut(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, SignOutTimeout)
	defer cancel()
	p.mu.Lock()
	var signOuts []func(context.Context) error
	for _, data := range p.data {
		for _, appliance := range data.appliances {
			if appliance.adm != nil {
				signOuts = append(signOuts, appliance.adm.SignOut)
			}
			if appliance.nimble != nil {
				signOuts = append(signOuts, appliance.nimble.SignOut)
			}
		}
	}
	p.mu.Unlock()
	errs := make([]error, len(signOuts))
	var wg sync.WaitGroup
	for i, signOut := range signOuts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = signOut(ctx)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
